export { crawlShard } from './shard-crawler';
export {
  BrowserUnavailableError,
  CRAWL_CAPS,
  CRAWL_DEFAULTS,
  CrawlConfigError,
  resolveCrawlOptions,
  type ControlSignal,
  type CrawlDeps,
  type CrawledPage,
  type CrawlOptions,
  type FailureKind,
  type FrontierEntry,
  type PageFailure,
  type Platform,
  type RenderMode,
  type ShardHooks,
  type ShardInput,
  type ShardOutcome,
  type ShardReason,
} from './crawl-options';
export { normalizeUrl, urlKey, siteOf } from './url-filters';
export { buildUserAgent, BOT_TOKEN } from './user-agent';
