/**
 * `mltrl-bot <command>`: one small module per command (src/cli/<name>-command.ts exporting
 * `run(args: string[]): Promise<number>`, the exit status). Loaded lazily so `cards check` does not pay
 * for the chat SDKs.
 */
const COMMANDS: Record<string, { module: string; summary: string }> = {
  start: { module: './start-command', summary: 'run web and workers in one process (default)' },
  web: { module: './web-command', summary: 'run only the HTTP endpoints (Slack, Teams, playground)' },
  worker: { module: './worker-command', summary: 'run only the queue workers' },
  cards: {
    module: './cards-command',
    summary: 'cards check <dir-or-file> [--flow f] [--gate n] [--json] | cards init "<name>" <ID> [--dir d]',
  },
  digest: { module: './digest-command', summary: 'digest --preview [--json]: print the digest' },
  export: { module: './export-command', summary: "export [--out f.json]: the bot's state as JSON" },
  import: { module: './import-command', summary: 'import <f.json> [--replace]: restore an export' },
  audit: {
    module: './audit-command',
    summary: 'audit verify [--project p] | audit export [--project p] [--since date] --format json|csv',
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(8)} ${summary}`);
  return `usage: mltrl-bot <command>\n\ncommands:\n${lines.join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`mltrl-bot: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(command.module) as { run(args: string[]): Promise<number> };
  return module.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    // Long-running commands (start, web, worker) never resolve; they exit on SIGTERM themselves.
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 2;
  },
);
