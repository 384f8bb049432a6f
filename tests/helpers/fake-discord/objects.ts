/** Discord API objects (users, guilds, channels, messages) as the fake hands them out. */
import type { InteractionState } from "./types.ts";

const DISCORD_EPOCH = 1420070400000n;
let counter = 0n;

/** A fresh snowflake id: increasing, with a real timestamp. */
export function snowflake(): string {
  counter = (counter + 1n) % 4096n;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | counter).toString();
}

/** A Discord user as the API returns it. */
export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

/** Makes a user object. */
export function makeUser(username: string, bot = false): FakeUser {
  return {
    id: snowflake(),
    username,
    global_name: bot ? null : username,
    discriminator: "0",
    avatar: null,
    ...(bot ? { bot: true } : {}),
  };
}

/**
 * A channel the fake knows: a guild text channel (0), a DM with one user (1), or a public thread
 * (11) in a text channel, whose id is its starter message's when it was started on one.
 */
export interface FakeChannel {
  id: string;
  type: 0 | 1 | 11;
  guildId?: string;
  recipientId?: string;
  /** A thread's text channel. */
  parentId?: string;
  /** Who started a thread. */
  ownerId?: string;
  name?: string;
}

/** A guild with one text channel. */
export interface FakeGuild {
  id: string;
  name: string;
  channelId: string;
}

/** Channel JSON for REST and gateway payloads. */
export function channelJson(channel: FakeChannel, users: Map<string, FakeUser>): object {
  if (channel.type === 1) {
    const recipient = users.get(channel.recipientId ?? "");
    return { id: channel.id, type: 1, last_message_id: null, flags: 0, recipients: [recipient] };
  }
  if (channel.type === 11) {
    return {
      id: channel.id,
      type: 11,
      guild_id: channel.guildId,
      parent_id: channel.parentId,
      owner_id: channel.ownerId,
      name: channel.name ?? "thread",
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      flags: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    };
  }
  return {
    id: channel.id,
    type: 0,
    guild_id: channel.guildId,
    name: channel.name ?? "general",
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    rate_limit_per_user: 0,
    topic: null,
    last_message_id: null,
    flags: 0,
  };
}

/** The bot's managed role in a guild (the one Discord creates when the bot joins). */
export function botRoleJson(id: string, bot: FakeUser): object {
  return {
    id,
    name: bot.username,
    permissions: "309237730304",
    position: 1,
    color: 0,
    hoist: false,
    managed: true,
    mentionable: true,
    flags: 0,
    tags: { bot_id: bot.id },
  };
}

/**
 * The GUILD_CREATE payload for a guild the bot is in. `extra` adds the guild's other channels
 * and threads, and the bot's managed role (given to the bot's member).
 */
export function guildCreateJson(
  guild: FakeGuild,
  bot: FakeUser,
  extra: { channels?: FakeChannel[]; botRoleId?: string } = {},
): object {
  const others = (extra.channels ?? []).filter((c) => c.id !== guild.channelId);
  const botMember = memberJson(bot) as Record<string, unknown>;
  if (extra.botRoleId) botMember.roles = [extra.botRoleId];
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    owner_id: snowflake(),
    unavailable: false,
    large: false,
    member_count: 2,
    joined_at: new Date().toISOString(),
    features: [],
    preferred_locale: "en-GB",
    premium_tier: 0,
    system_channel_flags: 0,
    verification_level: 0,
    nsfw_level: 0,
    mfa_level: 0,
    roles: [
      {
        id: guild.id,
        name: "@everyone",
        permissions: "1071698660929",
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
      ...(extra.botRoleId ? [botRoleJson(extra.botRoleId, bot)] : []),
    ],
    emojis: [],
    stickers: [],
    channels: [
      { ...channelJson({ id: guild.channelId, type: 0, guildId: guild.id }, new Map()) },
      ...others.filter((c) => c.type === 0).map((c) => channelJson(c, new Map())),
    ],
    threads: others.filter((c) => c.type === 11).map((c) => channelJson(c, new Map())),
    members: [botMember],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A guild member object around a user. */
export function memberJson(user: FakeUser): object {
  return {
    user,
    roles: [],
    joined_at: new Date().toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    permissions: "1071698660929",
  };
}

/** A stored message, in API shape. */
export interface ApiMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: FakeUser;
  content: string;
  components: unknown[];
  flags: number;
  mentions: FakeUser[];
  message_reference?: { message_id: string; channel_id?: string; guild_id?: string };
  [key: string]: unknown;
}

/** Builds a message object. */
export function messageJson(fields: {
  channel: FakeChannel;
  author: FakeUser;
  content: string;
  components?: unknown[];
  flags?: number;
  mentions?: FakeUser[];
  mentionRoles?: string[];
  reference?: ApiMessage["message_reference"];
  applicationId?: string;
}): ApiMessage {
  return {
    id: snowflake(),
    type: fields.reference ? 19 : 0,
    channel_id: fields.channel.id,
    ...(fields.channel.guildId ? { guild_id: fields.channel.guildId } : {}),
    author: fields.author,
    content: fields.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: fields.mentions ?? [],
    mention_roles: fields.mentionRoles ?? [],
    attachments: [],
    embeds: [],
    pinned: false,
    flags: fields.flags ?? 0,
    components: fields.components ?? [],
    ...(fields.reference ? { message_reference: fields.reference } : {}),
    ...(fields.applicationId
      ? { application_id: fields.applicationId, webhook_id: fields.applicationId }
      : {}),
  };
}

/** The fields every INTERACTION_CREATE carries: who, where, and the token to answer with. */
export function interactionJson(
  state: InteractionState,
  user: FakeUser,
  host: { applicationId: string; users: Map<string, FakeUser> },
): Record<string, unknown> {
  const { channel } = state;
  const inGuild = channel.type !== 1;
  return {
    id: state.id,
    application_id: host.applicationId,
    token: state.token,
    version: 1,
    channel_id: channel.id,
    channel: channelJson(channel, host.users),
    locale: "en-GB",
    app_permissions: "1071698660929",
    entitlements: [],
    authorizing_integration_owners: inGuild ? { "0": channel.guildId } : { "1": user.id },
    context: inGuild ? 0 : 1,
    ...(inGuild
      ? { guild_id: channel.guildId, guild_locale: "en-GB", member: memberJson(user) }
      : { user }),
  };
}
