/**
 * Slack writes a user group as `<!subteam^S0123|@ml-board>` and a user as `<@U0123|ana>`. Pasted into a
 * card's summary table, that pipe would split the cell in two (GFM reads every unescaped pipe as a cell
 * border), so it is escaped before the table is read, as a careful author would have written it.
 */
const SLACK_MENTION_PIPE = /<(!subteam\^[A-Za-z0-9]+|@[A-Za-z0-9._:-]+)\|([^<>|\n]*)>/g;

/**
 * Every match starts with `<@` or `<!subteam`; most cards hold neither (but plenty of `|` and some `<`),
 * and two native substring searches are far cheaper than running the expression over the whole card.
 */
export function escapeMentionPipes(text: string): string {
  if (!text.includes('|') || !(text.includes('<@') || text.includes('<!subteam'))) return text;
  return text.replace(SLACK_MENTION_PIPE, '<$1\\|$2>');
}
