import MarkdownIt from 'markdown-it';

/** The parser instance type (markdown-it's typings declare a constructor and a namespace). */
export type CardMarkdown = ReturnType<typeof MarkdownIt>;
export type Token = MarkdownIt.Token;

/**
 * The markdown parser used for cards: markdown-it with GFM tables, block level only. Everything the card
 * reader needs (headings, table cells, paragraphs, source lines) is in the block tokens; inline content
 * is read from the raw cell/heading text, so the inline pass would be wasted work.
 */
export function createCardMarkdown(): CardMarkdown {
  const md = MarkdownIt('default', { html: false, linkify: false, typographer: false });
  md.core.ruler.enableOnly(['normalize', 'block']);
  return md;
}

let shared: CardMarkdown | undefined;

export function parseMarkdownBlocks(text: string): Token[] {
  shared ??= createCardMarkdown();
  return shared.parse(text, {});
}
