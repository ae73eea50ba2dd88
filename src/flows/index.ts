export { loadFlowFile, parseFlowText } from './load-flow-file';
export {
  loadFlows,
  createFlowSource,
  loadDefaultFlow,
  BUNDLED_FLOWS_DIR,
  DEFAULT_FLOW_NAME,
} from './load-flows';
export { FlowFileError, formatFlowProblem, type FlowProblem } from './flow-error';
export { loadCardSynonyms, bundledCardSynonyms, parseLabelsText, BUNDLED_LABELS_DIR } from './load-labels';
