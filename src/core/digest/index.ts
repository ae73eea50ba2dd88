export { buildDigest, type BuildDigestOptions } from './build-digest';
export { digestPeriod, shortDateTime } from './period';
export { portfolioOverview, levelBars, effectiveLevel, type PortfolioOverview } from './overview';
export { portfolioChartSvg } from './chart-svg';
export { businessDaysBetween } from './business-days';
export type * from './snapshot';
export { portfolioList, filterProjects, type PortfolioFilter, type PortfolioViewer } from './portfolio-list';
