import type { types } from '@slack/bolt';
import type { RenderedPiece } from './render-blocks';

/**
 * Keeps a message within `max` blocks. Essential pieces (header, buttons, the closing context line)
 * always stay; other pieces are kept in order while they fit, and one context line says how much was
 * left out ("...and N more"), so nothing is cut silently.
 */
export function fitBlocks(
  pieces: RenderedPiece[],
  max: number,
  moreText: (count: number) => string,
): types.KnownBlock[] {
  if (pieces.length <= max) return pieces.map((piece) => piece.block);
  const last = pieces[pieces.length - 1];
  const essential = pieces.map(
    (piece) => piece.essential || (piece === last && piece.block.type === 'context'),
  );
  const essentialCount = essential.filter(Boolean).length;
  let room = Math.max(0, max - 1 - essentialCount);
  const kept: types.KnownBlock[] = [];
  let dropped = 0;
  let noticeAt = -1;
  pieces.forEach((piece, index) => {
    if (essential[index]) {
      kept.push(piece.block);
    } else if (room > 0) {
      kept.push(piece.block);
      room -= 1;
    } else {
      if (noticeAt < 0) noticeAt = kept.length;
      dropped += piece.items;
    }
  });
  const notice: types.ContextBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: moreText(Math.max(dropped, 1)) }],
  };
  kept.splice(noticeAt < 0 ? kept.length : noticeAt, 0, notice);
  // More essentials than room (a pathological message): keep the first blocks, never fail.
  return kept.slice(0, max);
}
