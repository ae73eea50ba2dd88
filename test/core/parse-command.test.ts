import { nearestProject, parseCommand, parseDuration } from '../../src/core/commands';

describe('parseCommand', () => {
  it.each([
    ['review R07.2', { name: 'review', project: 'R07.2' }],
    ['  Review   R07.2 ', { name: 'review', project: 'R07.2' }],
    ['status', { name: 'status' }],
    ['status R07.2', { name: 'status', project: 'R07.2' }],
    ['portfolio', { name: 'portfolio' }],
    ['', { name: 'help' }],
    ['help', { name: 'help' }],
    ['cancel R07.2', { name: 'cancel', project: 'R07.2' }],
    ['history R07.2', { name: 'history', project: 'R07.2' }],
    ['snooze R07.2 3d', { name: 'snooze', project: 'R07.2', durationMs: 3 * 86_400_000 }],
    ['snooze R07.2 2 days', { name: 'snooze', project: 'R07.2', durationMs: 2 * 86_400_000 }],
    ['snooze R07.2 1w', { name: 'snooze', project: 'R07.2', durationMs: 7 * 86_400_000 }],
    [
      'waive R07.2 code-repo 14 repo moves next week',
      { name: 'waive', project: 'R07.2', key: 'code-repo', days: 14, reason: 'repo moves next week' },
    ],
    ['digest now', { name: 'digest', action: 'now' }],
    ['digest unsubscribe', { name: 'digest', action: 'unsubscribe' }],
    ['digest subscribe', { name: 'digest', action: 'subscribe' }],
    [
      'digest subscribe weekly mon 09:00 Europe/Berlin',
      { name: 'digest', action: 'subscribe', schedule: 'weekly mon 09:00', tz: 'Europe/Berlin' },
    ],
    ['digest subscribe 0 9 * * 1', { name: 'digest', action: 'subscribe', schedule: '0 9 * * 1' }],
    ['digest subscribe UTC', { name: 'digest', action: 'subscribe', tz: 'UTC' }],
  ])('%s', (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command: expect.objectContaining(command) });
  });

  it.each([
    ['review', 'review', 'missing-project'],
    ['review R07.2 now', 'review', 'extra-words'],
    ['review <script>', 'review', 'bad-project'],
    ['snooze R07.2', 'snooze', 'missing-duration'],
    ['snooze R07.2 soon', 'snooze', 'bad-duration'],
    ['snooze R07.2 200d', 'snooze', 'duration-too-long'],
    ['waive R07.2', 'waive', 'missing-section'],
    ['waive R07.2 nonsense 3 x', 'waive', 'bad-section'],
    ['waive R07.2 code-repo', 'waive', 'missing-days'],
    ['waive R07.2 code-repo -3 x', 'waive', 'bad-days'],
    ['waive R07.2 code-repo 3', 'waive', 'missing-reason'],
    ['digest', 'digest', 'missing-digest-action'],
    ['digest later', 'digest', 'bad-digest-action'],
    ['digest subscribe every tuesday', 'digest', 'bad-schedule'],
    ['digest subscribe weekly mon 09:00 Mars/Base', 'digest', 'bad-tz'],
    ['help me', 'help', 'extra-words'],
    ['dance', undefined, 'unknown-command'],
  ])('%s is refused with usage', (text, command, problem) => {
    const result = parseCommand(text);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ command, problem }) });
  });

  it('reads a trailing skip-quiet as "post nothing in a week without changes"', () => {
    expect(parseCommand('digest subscribe weekly mon 09:00 Europe/Berlin skip-quiet')).toEqual({
      ok: true,
      command: {
        name: 'digest',
        action: 'subscribe',
        schedule: 'weekly mon 09:00',
        tz: 'Europe/Berlin',
        quietWeek: 'skip',
      },
    });
    expect(parseCommand('digest subscribe Skip-Quiet')).toEqual({
      ok: true,
      command: { name: 'digest', action: 'subscribe', quietWeek: 'skip' },
    });
    // Without the word the subscription keeps its quiet-week setting (nothing is passed).
    const plain = parseCommand('digest subscribe daily 08:30');
    expect(plain.ok && 'quietWeek' in plain.command).toBe(false);
    // Only as the last word: anywhere else it is part of a schedule that is not one.
    expect(parseCommand('digest subscribe skip-quiet weekly mon 09:00')).toEqual({
      ok: false,
      error: expect.objectContaining({ command: 'digest', problem: 'bad-schedule' }),
    });
  });

  it('refuses oversized input instead of truncating it', () => {
    expect(parseCommand(`review ${'x'.repeat(2000)}`)).toEqual({
      ok: false,
      error: expect.objectContaining({ problem: 'too-long' }),
    });
  });

  it('drops control characters, so they are never echoed back', () => {
    expect(parseCommand('review R07.2\u001b[2J')).toMatchObject({
      ok: false,
      error: { problem: 'bad-project', params: { value: 'R07.2[2J' } },
    });
    const bad = parseCommand('frobnicate\u001b]0;owned\u0007 \u202eexe.txt');
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(JSON.stringify(bad)).not.toMatch(/[\u0000-\u0008\u001b\u007f-\u009f\u202e]/);
    expect(bad).toMatchObject({ ok: false, error: { problem: 'unknown-command' } });
  });

  it('never throws on arbitrary text', () => {
    for (const text of ['\u0000', '))((', 'waive a b c d', 'snooze x 0d', 'digest subscribe "x']) {
      expect(() => parseCommand(text)).not.toThrow();
    }
  });
});

describe('helpers', () => {
  it('parses durations', () => {
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('1 week')).toBe(7 * 86_400_000);
    expect(parseDuration('0d')).toBeUndefined();
    expect(parseDuration('3 fortnights')).toBeUndefined();
  });
  it('suggests the nearest project id', () => {
    expect(nearestProject('R7.2', ['R07.2', 'R03.1', 'P13.2'])).toBe('R07.2');
    expect(nearestProject('r07.2', ['R07.2'])).toBe('R07.2');
    expect(nearestProject('completely-else', ['R07.2'])).toBeUndefined();
  });

  it('a mistyped command gets "did you mean", an unrelated word does not', () => {
    for (const [typed, meant] of [
      ['staus R07.2', 'status'],
      ['reveiw R07.2', 'review'],
      ['portfolo', 'portfolio'],
      ['hlep', 'help'],
      ['histroy R07.2', 'history'],
    ]) {
      expect(parseCommand(typed)).toMatchObject({
        ok: false,
        error: { problem: 'unknown-command-suggest', params: { suggestion: meant } },
      });
    }
    for (const typed of ['dance', 'x', 'approve R07.2'])
      expect(parseCommand(typed)).toMatchObject({ ok: false, error: { problem: 'unknown-command' } });
  });
});
