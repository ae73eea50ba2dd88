import { runRoles } from '../app/run-roles';

/** `mltrl-bot worker`: only the queue workers (delivery, engine jobs); run any number of them. */
export async function run(args: string[]): Promise<number> {
  if (args.length > 0) {
    console.error(
      `mltrl-bot worker takes no arguments (configuration comes from environment variables), got: ${args.join(' ')}`,
    );
    return 2;
  }
  return runRoles({ web: false, worker: true });
}
