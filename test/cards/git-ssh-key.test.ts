import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitEnv } from '../../src/cards/git/git-client';
import { createGitCardSource } from '../../src/cards/git/git-card-source';

/**
 * CARDS_GIT_SSH_KEY_FILE (no local sshd here): the exact environment git gets, and a failing SSH remote
 * whose message names the remote but never the key's contents.
 */
describe('the SSH key path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-ssh-'));
  const keyFile = join(dir, "deploy key's file");
  const secretKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1ib2R5\n-----END OPENSSH PRIVATE KEY-----\n';
  writeFileSync(keyFile, secretKey, { mode: 0o600 });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the key to ssh through GIT_SSH_COMMAND only, quoted, in batch mode, and no GIT_* of the bot', () => {
    process.env.GIT_SSH = '/tmp/evil-ssh';
    process.env.GIT_CONFIG_PARAMETERS = "'core.sshCommand=/tmp/evil'";
    try {
      const env = gitEnv({ url: 'git@forge.example.org:org/cards.git', sshKeyFile: keyFile });
      expect(env.GIT_SSH_COMMAND).toBe(
        `ssh -i '${keyFile.replace(/'/g, `'\\''`)}' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new`,
      );
      expect(env.GIT_TERMINAL_PROMPT).toBe('0');
      expect(Object.keys(env).filter((key) => key.startsWith('GIT_')).sort()).toEqual([
        'GIT_CONFIG_NOSYSTEM',
        'GIT_SSH_COMMAND',
        'GIT_TERMINAL_PROMPT',
      ]);
      expect(JSON.stringify(env)).not.toContain('c2VjcmV0LWtleS1ib2R5');
    } finally {
      delete process.env.GIT_SSH;
      delete process.env.GIT_CONFIG_PARAMETERS;
    }
  });

  it('an unreachable SSH remote fails with the remote named and the key nowhere in the message or the log', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (...args: unknown[]) => lines.push(JSON.stringify(args)),
      info: (...args: unknown[]) => lines.push(JSON.stringify(args)),
      warn: (...args: unknown[]) => lines.push(JSON.stringify(args)),
      error: (...args: unknown[]) => lines.push(JSON.stringify(args)),
      child: () => logger,
    };
    const source = createGitCardSource({
      remote: { url: 'ssh://git@127.0.0.1:1/org/cards.git', sshKeyFile: keyFile },
      cloneDir: join(dir, 'clone'),
      pollSeconds: 0,
      logger: logger as never,
    });
    const error = await source.start!().then(
      () => undefined,
      (failure: Error) => failure,
    );
    expect(error?.message).toContain('cannot clone the card repository ssh://127.0.0.1:1/org/cards.git');
    for (const text of [error?.message ?? '', ...lines]) {
      expect(text).not.toContain('c2VjcmV0LWtleS1ib2R5');
      expect(text).not.toContain('PRIVATE KEY');
    }
    await source.stop!();
  });
});
