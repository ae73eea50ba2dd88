/**
 * Slack's Block Kit limits (docs: "Reference: blocks", "Reference: block elements"). Renderers stay inside
 * them by construction, so a long list never turns into an `invalid_blocks` API error.
 */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  homeBlocks: 100,
  modalBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  selectPlaceholder: 150,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  imageAlt: 2000,
  imageUrl: 3000,
  /** chat.postMessage truncates `text` beyond 40,000; notifications read far less. */
  fallbackText: 4000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
} as const;

/** Cuts `text` to `max` characters, ending in an ellipsis when something was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - 3)).trimEnd() + '...';
}

/**
 * Splits text into chunks of at most `max` characters, preferring line breaks, so a long section becomes
 * several sections instead of being cut.
 */
export function chunkText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut <= 0) cut = rest.lastIndexOf(' ', max);
    if (cut <= 0) cut = max;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.trim().length > 0) chunks.push(rest);
  return chunks;
}
