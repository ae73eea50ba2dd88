import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * Slack's Socket Mode side, just enough for a test: a WebSocket endpoint (RFC 6455 handshake and
 * frames, written out here because the repository has no WebSocket server library) that greets the
 * client with `hello`, sends envelopes, answers pings and records what the client sends back.
 */
export interface FakeSocketModeServer {
  url: string;
  /** JSON messages the client sent (acks: `{ envelope_id, payload? }`). */
  received: Array<Record<string, unknown>>;
  connected(): Promise<void>;
  send(message: Record<string, unknown>): void;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([
            Buffer.from([0x80 | opcode, 127]),
            (() => {
              const size = Buffer.alloc(8);
              size.writeBigUInt64BE(BigInt(length));
              return size;
            })(),
          ]);
  return Buffer.concat([header, payload]);
}

export async function startFakeSocketModeServer(): Promise<FakeSocketModeServer> {
  const received: Array<Record<string, unknown>> = [];
  let socket: Duplex | undefined;
  let onConnected: () => void = () => {};
  const connectedOnce = new Promise<void>((resolve) => (onConnected = resolve));
  const server: Server = createServer((_req, res) => res.writeHead(426).end());

  server.on('upgrade', (req, client: Duplex) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${GUID}`).digest('base64');
    client.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket = client;
    let buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = buffer[0] & 0x0f;
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        const masked = (buffer[1] & 0x80) !== 0;
        const maskAt = offset;
        if (masked) offset += 4;
        if (buffer.length < offset + length) return;
        const payload = Buffer.from(buffer.subarray(offset, offset + length));
        if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= buffer[maskAt + (i % 4)];
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x1) received.push(JSON.parse(payload.toString('utf8')) as Record<string, unknown>);
        if (opcode === 0x9) client.write(frame(0xa, payload));
        if (opcode === 0x8) {
          client.end(frame(0x8, Buffer.alloc(0)));
          return;
        }
      }
    });
    client.on('error', () => undefined);
    client.write(
      frame(
        0x1,
        Buffer.from(
          JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0MLTRL' } }),
        ),
      ),
    );
    onConnected();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`,
    received,
    connected: () => connectedOnce,
    send(message) {
      if (!socket) throw new Error('no Socket Mode client connected');
      socket.write(frame(0x1, Buffer.from(JSON.stringify(message))));
    },
    close: () =>
      new Promise<void>((resolve) => {
        socket?.destroy();
        server.close(() => resolve());
      }),
  };
}
