import { createLogger } from '../../src/logging/logger';
import { startTeamsTestApp } from './support/teams-test-app';
import { TeamsEngine } from './support/teams-engine';

async function startupLines(env: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const app = await startTeamsTestApp({
    engine: new TeamsEngine(),
    env,
    logger: createLogger('info', (line) => lines.push(line)),
  });
  await app.stop();
  return lines.map((line) => (JSON.parse(line) as { message: string }).message);
}

test('without credentials the start-up log says: loopback only, local testing', async () => {
  const lines = await startupLines({});
  expect(lines).toEqual([
    expect.stringMatching(/no clientId set: POST \/api\/messages answers loopback requests only/),
  ]);
});

test('with a clientId but no secret or authType, the log says the bot cannot get tokens', async () => {
  const lines = await startupLines({
    clientId: '11111111-2222-4333-8444-555555555555',
    tenantId: 'tenant-1',
  });
  expect(lines).toEqual([
    expect.stringMatching(/requires Bot Framework tokens/),
    expect.stringMatching(/without clientSecret or authType/),
  ]);
  expect(lines.join('\n')).not.toMatch(/loopback/);
});
