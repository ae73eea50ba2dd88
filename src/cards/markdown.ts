import MarkdownIt from 'markdown-it';
import { plainBlockState } from './plain-block-state';

/** The parser instance type (markdown-it's typings declare a constructor and a namespace). */
export type CardMarkdown = ReturnType<typeof MarkdownIt>;
export type Token = MarkdownIt.Token;

/**
 * The markdown parser used for cards: markdown-it with GFM tables, block level only. Everything the card
 * reader needs (headings, table cells, paragraphs, source lines) is in the block tokens; inline content
 * is read from the raw cell/heading text, so the inline pass would be wasted work.
 *
 * Its block state is `plainBlockState`'s: the same tokens, built about twice as fast. And it skips
 * markdown-it's newline normalisation when there is nothing to normalise (the card reader has already
 * turned CR LF into LF and refused NUL bytes): that pass is a scan of the whole card by a regular
 * expression that finds nothing.
 */
export function createCardMarkdown(): CardMarkdown {
  const md = stockBlockMarkdown();
  md.block.State = plainBlockState(md.block.State, md);
  md.core.ruler.at('normalize', normalizeWhenNeeded);
  return md;
}

type CoreState = Parameters<CardMarkdown['core']['process']>[0];

/** markdown-it's `normalize` rule (CR LF and lone CR to LF, NUL to U+FFFD), run only when it changes something. */
function normalizeWhenNeeded(state: CoreState): void {
  const src = state.src;
  if (!src.includes('\r') && !src.includes('\0')) return;
  state.src = src.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
}

/** markdown-it as shipped, block level only: what `createCardMarkdown` builds on (and the benchmark's baseline). */
export function stockBlockMarkdown(): CardMarkdown {
  const md = MarkdownIt('default', { html: false, linkify: false, typographer: false });
  md.core.ruler.enableOnly(['normalize', 'block']);
  return md;
}

let shared: CardMarkdown | undefined;

export function parseMarkdownBlocks(text: string): Token[] {
  shared ??= createCardMarkdown();
  return shared.parse(text, {});
}
