import MarkdownIt from 'markdown-it';

/** The parser instance type (markdown-it's typings declare a constructor and a namespace). */
export type CardMarkdown = ReturnType<typeof MarkdownIt>;
export type Token = MarkdownIt.Token;

/**
 * The markdown parser used for cards: markdown-it with GFM tables, block level only. Everything the card
 * reader needs (headings, table cells, paragraphs, source lines) is in the block tokens; inline content
 * is read from the raw cell/heading text, so the inline pass would be wasted work.
 *
 * Its block tokens are made by `plainTokens` (below): the same tokens, built about twice as fast.
 */
export function createCardMarkdown(): CardMarkdown {
  const md = stockBlockMarkdown();
  md.block.State = plainTokens(md.block.State);
  return md;
}

/** markdown-it as shipped, block level only: what `createCardMarkdown` builds on (and the benchmark's baseline). */
export function stockBlockMarkdown(): CardMarkdown {
  const md = MarkdownIt('default', { html: false, linkify: false, typographer: false });
  md.core.ruler.enableOnly(['normalize', 'block']);
  return md;
}

type BlockState = CardMarkdown['block']['State'];

/**
 * markdown-it 15's build defines each of a Token's eight fields through a property-descriptor helper in
 * its constructor; profiled on 10,000 cards, that helper alone was 45 % of the block parse. Every block
 * token is made by the block state's `push`, so a state whose `push` makes the same token with plain
 * assignments (same fields, and markdown-it's Token prototype behind it: `instanceof Token` and
 * `attrGet` still work) does the same parse without that cost. test/cards/card-markdown.test.ts holds
 * the token streams equal to the stock ones.
 */
function plainTokens(Base: BlockState): BlockState {
  const StockToken = new Base('', stockBlockMarkdown(), {}, []).Token;
  Object.setPrototypeOf(PlainToken.prototype, StockToken.prototype); // once, at start-up
  class PlainTokenState extends Base {
    override push(type: string, tag: string, nesting: Token['nesting']): Token {
      const token = new PlainToken(type, tag, nesting) as unknown as Token;
      token.block = true;
      if (nesting < 0) this.level--; // a closing tag
      token.level = this.level;
      if (nesting > 0) this.level++; // an opening tag
      this.tokens.push(token);
      return token;
    }
  }
  return PlainTokenState;
}

/** A Token's fields in the stock constructor's order, assigned plainly (`declare`: no field definitions emitted). */
class PlainToken {
  declare type: string;
  declare tag: string;
  declare attrs: Token['attrs'];
  declare map: Token['map'];
  declare nesting: Token['nesting'];
  declare level: number;
  declare children: Token['children'];
  declare content: string;
  declare markup: string;
  declare info: string;
  declare meta: unknown;
  declare block: boolean;
  declare hidden: boolean;

  constructor(type: string, tag: string, nesting: Token['nesting']) {
    this.map = null;
    this.level = 0;
    this.children = null;
    this.content = '';
    this.markup = '';
    this.info = '';
    this.block = false;
    this.hidden = false;
    this.type = type;
    this.tag = tag;
    this.attrs = null;
    this.nesting = nesting;
    this.meta = null;
  }
}

let shared: CardMarkdown | undefined;

export function parseMarkdownBlocks(text: string): Token[] {
  shared ??= createCardMarkdown();
  return shared.parse(text, {});
}
