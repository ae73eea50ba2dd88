/**
 * `npm run teams:package`: builds teams-app/mltrl-bot.zip (manifest.json + icons) to sideload in Teams or
 * upload to the Teams admin center. Reads clientId (the bot's app id), PUBLIC_URL and optionally
 * TEAMS_APP_ID from the environment; regenerates teams-app/color.png and outline.png from their SVG.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAppIcons } from '../src/platforms/teams/app-package/app-icons';
import { fillManifest, manifestValues } from '../src/platforms/teams/app-package/build-manifest';
import { writeZip } from '../src/platforms/teams/app-package/write-zip';

function main(): number {
  const root = join(__dirname, '..');
  const dir = join(root, 'teams-app');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const { values, problems } = manifestValues(process.env, version);
  if (!values) return fail(problems);
  const filled = fillManifest(readFileSync(join(dir, 'manifest.json'), 'utf8'), values);
  if (!filled.manifest) return fail(filled.problems);
  const icons = renderAppIcons();
  writeFileSync(join(dir, 'color.png'), icons.color);
  writeFileSync(join(dir, 'outline.png'), icons.outline);
  const zip = writeZip([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(filled.manifest, null, 2) + '\n') },
    { name: 'color.png', data: icons.color },
    { name: 'outline.png', data: icons.outline },
  ]);
  const out = join(dir, 'mltrl-bot.zip');
  writeFileSync(out, zip);
  console.log(
    `Teams app package written: ${out} (${zip.length} bytes, bot ${values.BOT_ID}, domain ${values.BOT_DOMAIN})`,
  );
  console.log('Sideload it in Teams: Apps > Manage your apps > Upload an app > Upload a custom app.');
  return 0;
}

function fail(problems: string[]): number {
  console.error(
    `Cannot build the Teams app package:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
  );
  return 1;
}

process.exitCode = main();
