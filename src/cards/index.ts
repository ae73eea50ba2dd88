export { parseCard, parseCardBuffer, parseOptionsFor, MAX_CARD_BYTES, type ParseCardOptions } from './parse-card';
export { createCardDirectory, loadCardFile, type CardDirectory } from './card-directory';
export { isCardError } from './card-error';
export { createCardMarkdown } from './markdown';
