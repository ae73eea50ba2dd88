import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from '../logging/logger';
import type { RedisTarget } from './redis-connections';

/**
 * With no REDIS_URL the bot runs its own redis-server (from the PATH) with its data under DATA_DIR:
 * append-only file on (reviews survive a restart), no eviction (a queue must never lose a job to
 * memory pressure), listening only on a unix socket in DATA_DIR (no port to collide with, no network
 * exposure). A second process of the same bot on the same DATA_DIR (say `mltrl-bot worker` next to
 * `mltrl-bot web`) finds the running server and shares it; the process that started it stops it.
 */
export interface EmbeddedRedis {
  target: RedisTarget;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
}

export class RedisServerMissingError extends Error {
  constructor(cause?: unknown) {
    super(
      [
        'No REDIS_URL is set and no redis-server was found on the PATH.',
        'Get a Redis in one of these ways, then run the command again:',
        '  - install it: `sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)',
        '  - or start the one in docker-compose.yml: `docker compose up -d redis`, then',
        '    `export REDIS_URL=redis://127.0.0.1:6379`',
        '  - or point REDIS_URL at a Redis you already run (redis://host:port),',
        '    or REDIS_SENTINELS + REDIS_SENTINEL_NAME at its sentinels, or REDIS_CLUSTER_NODES at a Cluster.',
      ].join('\n'),
      { cause },
    );
    this.name = 'RedisServerMissingError';
  }
}

const SOCKET_FILE = 'redis.sock';
const OWNER_FILE = 'redis.owner';
/** Unix socket paths are limited to about 104-108 bytes depending on the system. */
const MAX_SOCKET_PATH = 100;

export async function startEmbeddedRedis(options: {
  dataDir: string;
  logger: Logger;
  redisServer?: string;
  startTimeoutMs?: number;
}): Promise<EmbeddedRedis> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const socket = join(dataDir, SOCKET_FILE);
  if (socket.length > MAX_SOCKET_PATH) {
    throw new Error(`DATA_DIR path is too long for a unix socket (${socket}); use a shorter DATA_DIR`);
  }
  const ownerFile = join(dataDir, OWNER_FILE);

  if (await answersPing(socket)) {
    const owner = readOwner(ownerFile);
    if (owner !== undefined && isAlive(owner)) {
      options.logger.info('sharing the embedded redis-server of another process', { dataDir, owner });
      return { target: { path: socket }, owned: false, stop: async () => undefined };
    }
    // Left running by a process that died: adopt it, so it is stopped when we stop.
    options.logger.info('adopting an embedded redis-server left running', { dataDir });
    writeFileSync(ownerFile, String(process.pid));
    return { target: { path: socket }, owned: true, stop: () => shutdownViaSocket(socket, ownerFile) };
  }

  rmSync(socket, { force: true });
  const child = spawn(
    options.redisServer ?? 'redis-server',
    [
      '--port',
      '0',
      '--unixsocket',
      socket,
      '--unixsocketperm',
      '700',
      '--dir',
      dataDir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // If this process dies without stopping it (an uncaught error, process.exit), take the server along.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  await waitUntilReady(child, options.startTimeoutMs ?? 15000);
  writeFileSync(ownerFile, String(process.pid));
  options.logger.info('started embedded redis-server', { dataDir, pid: child.pid });
  return {
    target: { path: socket },
    owned: true,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        // SIGTERM makes redis-server flush the append-only file and exit cleanly.
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(ownerFile, { force: true });
    },
  };
}

function waitUntilReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within ${timeoutMs} ms:\n${output.slice(-2000)}`));
    }, timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new RedisServerMissingError(error) : error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with status ${code} while starting:\n${output.slice(-2000)}`));
    });
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout?.removeListener('data', onData);
        // Keep draining its output so a full pipe never blocks the server.
        child.stdout?.resume();
        child.stderr?.resume();
        resolvePromise();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
}

/** A raw PING over the socket, without pulling in a client (and its reconnect logic). */
function answersPing(socket: string, timeoutMs = 1000): Promise<boolean> {
  if (!existsSync(socket)) return Promise.resolve(false);
  return sendRaw(socket, 'PING\r\n', timeoutMs).then((reply) => reply.startsWith('+PONG'));
}

async function shutdownViaSocket(socket: string, ownerFile: string): Promise<void> {
  await sendRaw(socket, 'SHUTDOWN\r\n', 5000);
  rmSync(ownerFile, { force: true });
}

function sendRaw(socket: string, command: string, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise) => {
    let reply = '';
    const connection = createConnection(socket);
    const finish = () => {
      connection.destroy();
      resolvePromise(reply);
    };
    connection.setTimeout(timeoutMs, finish);
    connection.on('error', finish);
    connection.on('close', finish);
    connection.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) finish();
    });
    connection.on('connect', () => connection.write(command));
  });
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
