import { runRoles } from '../app/run-roles';

/** `mltrl-bot start`: web and workers in one process (the default; what `npm start` runs). */
export async function run(args: string[]): Promise<number> {
  if (args.length > 0) {
    console.error(
      `mltrl-bot start takes no arguments (configuration comes from environment variables), got: ${args.join(' ')}`,
    );
    return 2;
  }
  return runRoles({ web: true, worker: true });
}
