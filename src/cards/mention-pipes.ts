/**
 * Slack writes a user group as `<!subteam^S0123|@ml-board>` and a user as `<@U0123|ana>`. Pasted into a
 * card's summary table, that pipe would split the cell in two (GFM reads every unescaped pipe as a cell
 * border), so it is escaped before the table is read, as a careful author would have written it.
 */
const SLACK_MENTION_PIPE = /<(!subteam\^[A-Za-z0-9]+|@[A-Za-z0-9._:-]+)\|([^<>|\n]*)>/g;

export function escapeMentionPipes(text: string): string {
  return text.includes('|') && text.includes('<') ? text.replace(SLACK_MENTION_PIPE, '<$1\\|$2>') : text;
}
