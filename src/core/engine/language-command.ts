import type { Command } from '../commands';
import type { CommandEvent, EngineReply } from '../events';
import { matchLocale } from '../locale';
import type { MessageBlock } from '../messages';
import { joinList, tr, type RenderEnv } from '../render';
import type { EngineContext } from './engine-context';
import { actorIsAdmin } from './project-context';

/**
 * `language` shows the channel's language; `language use <tag>` (admins) sets the language of the
 * bot's channel messages there (votes, gap reports, outcomes); `language use default` clears it. Private
 * messages and reminders stay in each person's own language.
 */
export async function languageCommand(
  ctx: EngineContext,
  event: CommandEvent,
  command: Extract<Command, { name: 'language' }>,
): Promise<EngineReply> {
  const { actor, conversationId } = event;
  if (command.action === 'show') {
    const env = ctx.actorEnv(actor);
    const lines = [await channelLanguageLine(ctx, env, conversationId), availableLine(ctx, env)];
    const message = { kind: 'notice' as const, text: lines.join('\n'), blocks: textBlocks(lines) };
    return { ephemeral: [{ ...message, locale: env.locale }] };
  }
  if (!actorIsAdmin(ctx, actor)) return ctx.refuse(actor, 'notAllowedLanguage');
  const languages = ctx.deps.languages;
  const supported = command.locale && (languages ? matchLocale(command.locale, languages) : command.locale);
  if (command.locale && !supported) {
    return ctx.reply(actor, 'error', 'refuse.unsupportedLanguage', {
      value: command.locale,
      list: (languages ?? []).join(', '),
    });
  }
  const by = actor.name ?? actor.userId;
  await ctx.deps.stores.channelLanguages.set(
    conversationId,
    supported ? { locale: supported, by, at: ctx.now().toISOString() } : undefined,
  );
  // Said in the channel's new language, so the admin sees what the channel will read.
  const env: RenderEnv = { ...ctx.actorEnv(actor), locale: await ctx.channelLocale(conversationId) };
  const key = supported ? 'language.set' : 'language.reset';
  const text = tr(env, key, describe(env, env.locale));
  return { ephemeral: [{ kind: 'notice', text, blocks: [{ type: 'text', text }], locale: env.locale }] };
}

/** "This channel reads German (de)." in the reader's language; also a line of `status`. */
export async function channelLanguageLine(
  ctx: EngineContext,
  env: RenderEnv,
  conversationId: string,
): Promise<string> {
  const chosen = await ctx.deps.stores.channelLanguages.get(conversationId);
  const locale = chosen?.locale ?? ctx.deps.defaultLocale;
  return chosen
    ? tr(env, 'language.current', { ...describe(env, locale), by: chosen.by })
    : tr(env, 'language.currentDefault', describe(env, locale));
}

function availableLine(ctx: EngineContext, env: RenderEnv): string {
  const languages = ctx.deps.languages ?? [ctx.deps.defaultLocale];
  const list = languages.map((tag) => `${languageName(env.locale, tag)} (${tag})`);
  return tr(env, 'language.available', { list: joinList(list, env.locale) });
}

function describe(env: RenderEnv, tag: string): { language: string; tag: string } {
  return { language: languageName(env.locale, tag), tag };
}

/** "German" read in English, "Deutsch" in German: the CLDR name from Intl. */
export function languageName(readerLocale: string, tag: string): string {
  try {
    return new Intl.DisplayNames([readerLocale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

function textBlocks(lines: string[]): MessageBlock[] {
  return lines.map((text) => ({ type: 'text', text }));
}
