import { ConfigError, loadConfig, redactConfig, type Config } from '../config/config';
import { createLogger } from '../logging/logger';
import { RedisServerMissingError } from '../runtime/embedded-redis';
import { exitOnSignals } from '../runtime/shutdown';
import { buildApp, type App } from './build-app';

/**
 * What `mltrl-bot start | web | worker` share: read the configuration, build the app with the given
 * roles, say where it listens, and stay up until SIGTERM/SIGINT (then shut down and exit 0).
 * Returns an exit status only when it could not start.
 */
export async function runRoles(
  roles: { web: boolean; worker: boolean },
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL, undefined, { format: config.LOG_FORMAT });
  logger.debug('configuration', redactConfig(config));
  const shutdownDeadlineMs = config.SHUTDOWN_DEADLINE_MS;
  let app: App;
  try {
    app = await buildApp({ config, roles, logger, shutdownDeadlineMs });
  } catch (error) {
    if (error instanceof RedisServerMissingError) {
      console.error(error.message);
      return 1;
    }
    console.error(`mltrl-bot could not start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  exitOnSignals({ stop: () => app.stop(), logger, hardDeadlineMs: shutdownDeadlineMs + 5000 });
  for (const line of startupLines(app)) console.log(line);
  // Never resolves: the process ends on a signal.
  return new Promise<number>(() => undefined);
}

function startupLines(app: App): string[] {
  const lines: string[] = [];
  if (app.http) {
    const url = browsable(app.http.url);
    if (app.config.playgroundEnabled) lines.push(`Playground: ${url}`);
    if (app.config.slackEnabled) lines.push(`Slack events: ${url}/slack/events`);
    if (app.config.teamsEnabled) lines.push(`Teams messages: ${url}/api/messages`);
    lines.push(`Health: ${url}/healthz  Ready: ${url}/readyz  Metrics: ${url}/metrics`);
  }
  if (!app.http) lines.push('Workers running (delivery, engine jobs). Stop with Ctrl+C or SIGTERM.');
  if (app.health) lines.push(`Health port: ${browsable(app.health.url)} (/healthz, /readyz, /metrics)`);
  return lines;
}

/** A wildcard bind address is not something to type in a browser. */
function browsable(url: string): string {
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//localhost:');
}
