import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { renderAppIcons } from '../../src/platforms/teams/app-package/app-icons';
import { fillManifest, manifestValues } from '../../src/platforms/teams/app-package/build-manifest';
import { writeZip } from '../../src/platforms/teams/app-package/write-zip';

const TEMPLATE = readFileSync(join(__dirname, '..', '..', 'teams-app', 'manifest.json'), 'utf8');
const BOT_ID = '11111111-2222-4333-8444-555555555555';

/** Reads a zip through its central directory, inflating every entry and checking its CRC. */
function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let index = 0; index < count; index++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(dataAt, dataAt + size));
    expect(crc32(data)).toBe(crc);
    files.set(name, data);
    at += 46 + nameLength;
  }
  return files;
}

function pngInfo(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png.readUInt8(25) };
}

test('the manifest is filled from clientId and PUBLIC_URL: bot scopes, commands, valid domain', () => {
  const { values } = manifestValues({ clientId: BOT_ID, PUBLIC_URL: 'https://mltrl.example.org/' }, '0.1.0');
  const { manifest, problems } = fillManifest(TEMPLATE, values!);
  expect(problems).toEqual([]);
  const text = JSON.stringify(manifest);
  expect(text).not.toContain('${{');
  expect(manifest).toMatchObject({ id: BOT_ID, version: '0.1.0', validDomains: ['mltrl.example.org'] });
  const [bot] = manifest!.bots as Array<{
    botId: string;
    scopes: string[];
    commandLists: Array<{ commands: { title: string; description: string }[] }>;
  }>;
  expect(bot.botId).toBe(BOT_ID);
  expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
  const commands = bot.commandLists[0].commands;
  expect(commands.map((command) => command.title)).toEqual(
    expect.arrayContaining(['review', 'status', 'help']),
  );
  expect(commands.length).toBeLessThanOrEqual(10);
  for (const command of commands) {
    expect(command.title.length).toBeLessThanOrEqual(32);
    expect(command.description.length).toBeLessThanOrEqual(128);
  }
});

test('missing or bad values are all listed', () => {
  expect(manifestValues({}, '0.1.0').problems).toEqual([
    expect.stringMatching(/^clientId/),
    expect.stringMatching(/^PUBLIC_URL/),
  ]);
  expect(
    manifestValues({ clientId: BOT_ID, PUBLIC_URL: 'http://plain.example.org', TEAMS_APP_ID: 'x' }, '1.0')
      .problems,
  ).toHaveLength(3);
});

test('icons: 192x192 colour, 32x32 outline with transparency, both PNG', () => {
  const { color, outline } = renderAppIcons();
  expect(pngInfo(color)).toMatchObject({ width: 192, height: 192 });
  expect(pngInfo(outline)).toEqual({ width: 32, height: 32, colorType: 6 });
});

test('the zip holds the three files at its root, byte for byte', () => {
  const entries = [
    { name: 'manifest.json', data: Buffer.from('{"a":1}\n') },
    { name: 'color.png', data: renderAppIcons().color },
    { name: 'outline.png', data: Buffer.alloc(5000, 7) },
  ];
  const files = readZip(writeZip(entries));
  expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
  for (const entry of entries) expect(files.get(entry.name)!.equals(entry.data)).toBe(true);
});
