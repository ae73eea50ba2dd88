import type MarkdownIt from 'markdown-it';

type CardMarkdown = ReturnType<typeof MarkdownIt>;
type Token = MarkdownIt.Token;
type BlockState = CardMarkdown['block']['State'];
type StateBlock = InstanceType<BlockState>;

/**
 * markdown-it's block state, built the way markdown-it 15's own build does it but without its overheads
 * (profiled on 10,000 cards):
 * - its build defines each field of a Token and of the state through a property-descriptor helper: that
 *   helper was 45 % of the block parse. Here the same fields are assigned plainly, in the same order;
 * - its constructor finds the lines by looking at every character of the card (a tenth of a card's
 *   reading). Here only a line's indentation is looked at character by character; the line's end is found
 *   with `indexOf`, which skips the rest of the line in native code. Same marks, same numbers.
 * The prototypes are markdown-it's (`instanceof`, `attrGet`, `skipSpaces`, `getLines` still work), so the
 * block rules run unchanged. test/cards/card-markdown.test.ts holds the line marks and the token streams
 * equal to the stock parser's.
 */
export function plainBlockState(Base: BlockState, md: CardMarkdown): BlockState {
  StockToken = new Base('', md, {}, []).Token; // a throwaway state, for the Token class it carries
  Object.setPrototypeOf(PlainToken.prototype, StockToken.prototype); // once, at start-up
  Object.setPrototypeOf(PlainBlockState.prototype, Base.prototype);
  return PlainBlockState as unknown as BlockState;
}

/** markdown-it's Token class, which the stock state carries as its own `Token` field. */
let StockToken: StateBlock['Token'];

/** The block state's fields in the stock constructor's order (`declare`: no field definitions emitted). */
class PlainBlockState {
  declare bMarks: number[];
  declare eMarks: number[];
  declare tShift: number[];
  declare sCount: number[];
  declare bsCount: number[];
  declare blkIndent: number;
  declare line: number;
  declare lineMax: number;
  declare tight: boolean;
  declare listIndent: number;
  declare parentType: StateBlock['parentType'];
  declare level: number;
  declare Token: StateBlock['Token'];
  declare src: string;
  declare md: CardMarkdown;
  declare env: unknown;
  declare tokens: Token[];

  constructor(src: string, md: CardMarkdown, env: unknown, tokens: Token[]) {
    this.bMarks = [];
    this.eMarks = [];
    this.tShift = [];
    this.sCount = [];
    this.bsCount = [];
    this.blkIndent = 0;
    this.line = 0;
    this.lineMax = 0;
    this.tight = false;
    this.listIndent = -1;
    this.parentType = 'root';
    this.level = 0;
    this.Token = StockToken;
    this.src = src;
    this.md = md;
    this.env = env;
    this.tokens = tokens;
    this.markLines(src);
  }

  /**
   * Start, end, indentation and indentation width (tabs to the next multiple of 4) of every line, then
   * one empty line at the end, as the stock constructor makes them. Like it, a last line that holds only
   * spaces and tabs and no line break gets no marks.
   */
  private markLines(src: string): void {
    const length = src.length;
    let start = 0;
    while (start < length) {
      let at = start;
      let indent = 0;
      let offset = 0;
      for (; at < length; at++) {
        const char = src.charCodeAt(at);
        if (char === 0x20) offset++;
        else if (char === 0x09) offset += 4 - (offset % 4);
        else break;
        indent++;
      }
      if (at === length) break;
      const lineBreak = src.indexOf('\n', at);
      const end = lineBreak < 0 ? length : lineBreak;
      this.pushLine(start, end, indent, offset);
      start = end + 1;
    }
    this.pushLine(length, length, 0, 0);
    this.lineMax = this.bMarks.length - 1;
  }

  private pushLine(start: number, end: number, indent: number, offset: number): void {
    this.bMarks.push(start);
    this.eMarks.push(end);
    this.tShift.push(indent);
    this.sCount.push(offset);
    this.bsCount.push(0);
  }

  /** markdown-it's `push`, making the token with plain assignments. */
  push(type: string, tag: string, nesting: Token['nesting']): Token {
    const token = new PlainToken(type, tag, nesting) as unknown as Token;
    token.block = true;
    if (nesting < 0) this.level--; // a closing tag
    token.level = this.level;
    if (nesting > 0) this.level++; // an opening tag
    this.tokens.push(token);
    return token;
  }
}

/** A Token's fields in the stock constructor's order, assigned plainly. */
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
