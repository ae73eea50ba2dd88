import { existsSync, writeFileSync } from 'node:fs';
import { createCardDirectory, parseOptionsFor } from '../cards';
import { ConfigError, loadConfig } from '../config/config';
import { buildDigest, digestPeriod } from '../core/digest';
import { assembleSnapshot } from '../digest/assemble-snapshot';
import { renderChartPng } from '../digest/render-chart';
import { renderMessageText } from '../digest/render-text';
import { isTimeZone } from '../core/time-zone';
import { BUNDLED_FLOWS_DIR, loadFlows } from '../flows';
import { defaultTranslator } from '../i18n/translator';

const USAGE = `usage: mltrl-bot digest --preview [--json] [--tz <IANA zone>] [--chart-out <file.png>]

  --preview            print the digest for the cards in CARDS_DIR (no Redis needed: card-based parts only)
  --json               print {"snapshot", "message"} as JSON instead of text
  --tz <zone>          time zone for dates and working days (default DEFAULT_TZ)
  --chart-out <file>   also write the portfolio chart as a PNG file`;

interface Options {
  json: boolean;
  tz?: string;
  chartOut?: string;
}

function parseArgs(args: string[]): Options | string {
  const options: Options = { json: false };
  let preview = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--preview') preview = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--tz' || arg === '--chart-out') {
      const value = args[++i];
      if (!value || value.startsWith('--')) return `${arg} needs a value`;
      if (arg === '--tz') {
        if (!isTimeZone(value))
          return `unknown time zone "${value}" (use an IANA name such as Europe/Berlin)`;
        options.tz = value;
      } else options.chartOut = value;
    } else return `unknown option "${arg}"`;
  }
  if (!preview) return 'only --preview is supported (the live digest is posted by the bot)';
  return options;
}

/**
 * `mltrl-bot digest --preview [--json]`: the digest for the cards in CARDS_DIR, from the terminal. It
 * reads no review history (no Redis), so it shows the portfolio overview and what the cards alone say.
 */
export async function run(args: string[]): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    console.error(`mltrl-bot digest: ${options}\n\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  if (!existsSync(config.CARDS_DIR)) {
    console.error(`mltrl-bot digest: CARDS_DIR "${config.CARDS_DIR}" does not exist\n\n${USAGE}`);
    return 2;
  }
  const flows = loadFlows(existsSync(config.FLOWS_DIR) ? config.FLOWS_DIR : BUNDLED_FLOWS_DIR);
  const cards = createCardDirectory(config.CARDS_DIR, parseOptionsFor(flows));
  const t = defaultTranslator(config.DEFAULT_LOCALE);
  const tz = options.tz ?? config.DEFAULT_TZ;
  const now = new Date();
  const snapshot = await assembleSnapshot({ cards, flows }, { now, tz });
  let chartPng: string | undefined;
  const message = buildDigest(
    snapshot,
    {
      mode: 'digest',
      period: digestPeriod(now, tz, 'week', t, config.DEFAULT_LOCALE),
      locale: config.DEFAULT_LOCALE,
      renderChart: (svg) => (chartPng = renderChartPng(svg)),
    },
    t,
  )!;
  if (options.chartOut && chartPng) writeFileSync(options.chartOut, Buffer.from(chartPng, 'base64'));
  process.stdout.write(
    options.json ? `${JSON.stringify({ snapshot, message }, null, 2)}\n` : renderMessageText(message),
  );
  return 0;
}
