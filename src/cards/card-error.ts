import type { Card, CardError } from '../core/card';
import type { Translate } from '../core/ports';
import { defaultTranslator } from '../i18n/translator';

let translate: Translate | undefined;

/** English text for logs and the CLI; other surfaces translate `cards:error.<code>` with `params`. */
function english(key: string, params: Record<string, string | number>): string {
  try {
    translate ??= defaultTranslator('en');
    return translate(key, params);
  } catch {
    // Catalogs missing or broken: still say what is wrong, never throw from the card reader.
    return `${key} ${JSON.stringify(params)}`;
  }
}

export function cardError(
  file: string,
  code: CardError['code'],
  params: Record<string, string | number> = {},
  line?: number,
): CardError {
  const all = { file, ...params };
  const error: CardError = { file, code, message: english(`cards:error.${code}`, all), params: all };
  if (line !== undefined) error.line = line;
  return error;
}

export function skippedReason(): string {
  return english('cards:skipped.not-a-card', {});
}

export function isCardError(result: Card | CardError): result is CardError {
  return !('projectId' in result);
}

