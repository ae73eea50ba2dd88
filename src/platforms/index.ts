import type { PlatformAdapter, PlatformDeps } from './platform';
import { createPlaygroundPlatform } from './playground/create-playground-platform';
import { createSlackPlatform } from './slack/create-slack-platform';
import { createTeamsPlatform } from './teams/create-teams-platform';

/** The platforms this configuration turns on (the playground when no Slack/Teams credentials are set). */
export function createPlatforms(deps: PlatformDeps): PlatformAdapter[] {
  const platforms: PlatformAdapter[] = [];
  if (deps.config.slackEnabled) platforms.push(createSlackPlatform(deps));
  if (deps.config.teamsEnabled) platforms.push(createTeamsPlatform(deps));
  if (deps.config.playgroundEnabled) platforms.push(createPlaygroundPlatform(deps));
  return platforms;
}
