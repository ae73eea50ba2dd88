/**
 * Fills the Teams app manifest template (teams-app/manifest.json): `${{NAME}}` placeholders from the
 * environment. A placeholder without a value, or a value Teams would refuse, stops the build with a list.
 */
export interface ManifestValues {
  /** The bot's Microsoft Entra app (client) id: the Agents SDK's `clientId`. */
  BOT_ID: string;
  /** The Teams app id (a GUID); defaults to the bot id. */
  TEAMS_APP_ID: string;
  /** Where the bot is served (https), e.g. https://mltrl.example.org. */
  PUBLIC_URL: string;
  /** Its host name, for validDomains. */
  BOT_DOMAIN: string;
  VERSION: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function manifestValues(
  env: Record<string, string | undefined>,
  version: string,
): { values?: ManifestValues; problems: string[] } {
  const problems: string[] = [];
  const botId = env.clientId?.trim() ?? '';
  const appId = env.TEAMS_APP_ID?.trim() || botId;
  const publicUrl = env.PUBLIC_URL?.trim().replace(/\/+$/, '') ?? '';
  if (!GUID.test(botId)) problems.push("clientId: the bot's Entra app (client) id, a GUID, is required");
  if (env.TEAMS_APP_ID?.trim() && !GUID.test(appId))
    problems.push('TEAMS_APP_ID: must be a GUID (leave unset to use clientId)');
  let domain = '';
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'https:') throw new Error('not https');
    domain = url.host;
  } catch {
    problems.push(
      'PUBLIC_URL: the https address the bot is served at is required (e.g. https://mltrl.example.org)',
    );
  }
  if (!/^\d+\.\d+\.\d+$/.test(version))
    problems.push(`package.json version ${version}: Teams needs major.minor.patch`);
  if (problems.length > 0) return { problems };
  return {
    values: {
      BOT_ID: botId,
      TEAMS_APP_ID: appId,
      PUBLIC_URL: publicUrl,
      BOT_DOMAIN: domain,
      VERSION: version,
    },
    problems,
  };
}

export function fillManifest(
  template: string,
  values: ManifestValues,
): { manifest?: Record<string, unknown>; problems: string[] } {
  const problems: string[] = [];
  const filled = template.replace(/\$\{\{([A-Z_]+)\}\}/g, (token, name: string) => {
    const value = (values as unknown as Record<string, string>)[name];
    if (value === undefined) problems.push(`manifest placeholder ${token} has no value`);
    return value ?? token;
  });
  if (problems.length > 0) return { problems };
  const manifest = JSON.parse(filled) as Record<string, unknown>;
  const name = manifest.name as { short?: string; full?: string };
  const description = manifest.description as { short?: string; full?: string };
  if ((name.short ?? '').length > 30) problems.push('name.short: at most 30 characters');
  if ((name.full ?? '').length > 100) problems.push('name.full: at most 100 characters');
  if ((description.short ?? '').length > 80) problems.push('description.short: at most 80 characters');
  if ((description.full ?? '').length > 4000) problems.push('description.full: at most 4,000 characters');
  return problems.length > 0 ? { problems } : { manifest, problems };
}
