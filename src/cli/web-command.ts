import { runRoles } from '../app/run-roles';

/** `mltrl-bot web`: only the HTTP endpoints (Slack, Teams, playground, /healthz, /metrics); run workers elsewhere. */
export async function run(args: string[]): Promise<number> {
  if (args.length > 0) {
    console.error(
      `mltrl-bot web takes no arguments (configuration comes from environment variables), got: ${args.join(' ')}`,
    );
    return 2;
  }
  return runRoles({ web: true, worker: false });
}
