/**
 * A fake Discord on 127.0.0.1 (port 0) for driving the REAL discord.js client in tests: REST
 * under /api/v10 and a gateway WebSocket. It records every message the bot sends (content,
 * components, flags, allowed_mentions, who it would ping) and lets tests dispatch slash
 * commands, clicks, select picks and user messages.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeGateway } from "./gateway.ts";
import {
  type ApiMessage,
  channelJson,
  type FakeChannel,
  type FakeGuild,
  type FakeUser,
  guildCreateJson,
  interactionJson,
  makeUser,
  memberJson,
  messageJson,
  snowflake,
} from "./objects.ts";
import { handleRest } from "./rest.ts";
import type {
  CallbackRecord,
  FakeDiscordOptions,
  Fault,
  InteractionState,
  SentMessage,
  Via,
} from "./types.ts";
import { type ApiError, pingsOf } from "./validate.ts";

export type { ApiMessage, FakeChannel, FakeUser } from "./objects.ts";
export type * from "./types.ts";

/** The fake Discord server. Create with {@link FakeDiscord.start}; always `close()` it. */
export class FakeDiscord {
  readonly token: string;
  readonly applicationId = snowflake();
  readonly bot: FakeUser = makeUser("kneebot", true);
  /** The bot's managed role in every guild (`<@&id>` is a mention of the bot too). */
  readonly botRoleId = snowflake();
  readonly guild: FakeGuild = { id: snowflake(), name: "Running club", channelId: snowflake() };
  readonly guilds = [this.guild];
  readonly users = new Map<string, FakeUser>([[this.bot.id, this.bot]]);
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, ApiMessage>();
  readonly interactions = new Map<string, InteractionState>();
  readonly closedDms = new Set<string>();
  readonly sent: SentMessage[] = [];
  readonly callbacks: CallbackRecord[] = [];
  readonly deployments: { scope: string; commands: Record<string, unknown>[] }[] = [];
  readonly deleted: string[] = [];
  readonly unhandled: string[] = [];
  readonly errors: { route: string; status: number; body: unknown }[] = [];
  /** Every REST request received, as `METHOD /path` (the path after /api/v10). */
  readonly requests: string[] = [];
  /** Nonces of messages created, by `authorId:nonce` (for `enforce_nonce`). */
  readonly nonces = new Map<string, { id: string; at: number }>();
  /** Nonces of sends answered with the earlier message instead of a new one. */
  readonly nonceHits: string[] = [];
  /** Channels the bot showed "kneebot is typing…" in (POST /channels/:id/typing), in order. */
  readonly typing: string[] = [];
  /** What each user message really says, whatever the bot's intents let it see. */
  readonly written = new Map<string, string>();
  /**
   * Milliseconds to hold every REST answer after the request took effect (a slow API; a client
   * killed in this gap never hears that its message was created).
   */
  responseDelayMs: number | (() => number) = 0;
  /** Answers being held back by `responseDelayMs` right now. */
  heldAnswers = 0;
  /** Requests answered (or left hanging) by a {@link Fault}, by route. */
  readonly faulted: string[] = [];
  private readonly faults: Fault[] = [];
  interactionWindowMs: number;
  allowPrivilegedIntents: boolean;
  private gateway!: FakeGateway;
  private port = 0;

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
  ) {
    this.token = options.token ?? "fake-token";
    this.interactionWindowMs = options.interactionWindowMs ?? 3000;
    this.allowPrivilegedIntents = options.allowPrivilegedIntents ?? false;
    this.channels.set(this.guild.channelId, {
      id: this.guild.channelId,
      type: 0,
      guildId: this.guild.id,
    });
  }

  /** Starts the fake on 127.0.0.1, on a free port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, options);
    server.on("request", (req, res) => void fake.onRequest(req, res));
    fake.gateway = new FakeGateway(server, fake);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  /** The REST base to give discord.js as `rest.api`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** The gateway URL returned by GET /gateway/bot. */
  wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** Intents of each IDENTIFY received. */
  get identifies(): { intents: number; shard?: [number, number] }[] {
    return this.gateway.identifies;
  }

  /** Number of logged-in gateway sessions. */
  get sessions(): number {
    return this.gateway.connected;
  }

  /** Stops the gateway and the HTTP server. */
  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The bot joins another guild (one text channel): dispatches GUILD_CREATE. */
  addGuild(name: string): FakeGuild {
    const guild: FakeGuild = { id: snowflake(), name, channelId: snowflake() };
    this.guilds.push(guild);
    this.channels.set(guild.channelId, { id: guild.channelId, type: 0, guildId: guild.id });
    this.dispatch("GUILD_CREATE", this.guildCreate(guild));
    return guild;
  }

  /** The GUILD_CREATE payload: the guild's channels, active threads and the bot's role. */
  guildCreate(guild: FakeGuild): object {
    const channels = [...this.channels.values()].filter((c) => c.guildId === guild.id);
    return guildCreateJson(guild, this.bot, { channels, botRoleId: this.botRoleId });
  }

  /** Adds a text channel to the main guild (dispatches CHANNEL_CREATE to a connected bot). */
  addChannel(name: string): FakeChannel {
    const channel: FakeChannel = { id: snowflake(), type: 0, guildId: this.guild.id, name };
    this.channels.set(channel.id, channel);
    this.dispatch("CHANNEL_CREATE", channelJson(channel, this.users));
    return channel;
  }

  /**
   * Starts a public thread in a text channel, as Discord does: on a message (the thread takes
   * its id, 160004 when it has one already) or on its own. Dispatches THREAD_CREATE.
   */
  startThread(
    parentId: string,
    owner: FakeUser,
    name: string,
    messageId?: string,
  ): FakeChannel | ApiError {
    const parent = this.channels.get(parentId);
    if (!parent) return { status: 404, code: 10003, message: "Unknown Channel" };
    if (parent.type !== 0) {
      return { status: 400, code: 50024, message: "Cannot execute action on this channel type" };
    }
    const starter = messageId ? this.messages.get(messageId) : undefined;
    if (messageId && starter?.channel_id !== parentId) {
      return { status: 404, code: 10008, message: "Unknown Message" };
    }
    if (name.length < 1 || name.length > 100) {
      return {
        status: 400,
        code: 50035,
        message: "Invalid Form Body",
        problems: ["name: Must be between 1 and 100 in length."],
      };
    }
    const id = messageId ?? snowflake();
    if (this.channels.has(id)) {
      return {
        status: 400,
        code: 160004,
        message: "A thread has already been created for this message",
      };
    }
    const thread: FakeChannel = {
      id,
      type: 11,
      guildId: parent.guildId!,
      parentId,
      ownerId: owner.id,
      name,
    };
    this.channels.set(id, thread);
    if (starter) starter.flags |= 32; // HAS_THREAD
    this.dispatch("THREAD_CREATE", { ...channelJson(thread, this.users), newly_created: true });
    return thread;
  }

  /** True when the bot identified with the MessageContent intent and the fake granted it. */
  get readsContent(): boolean {
    const last = this.gateway.identifies.at(-1);
    return this.allowPrivilegedIntents && last !== undefined && (last.intents & (1 << 15)) !== 0;
  }

  /** Sends any gateway event to the connected bot. */
  dispatch(t: string, d: unknown): void {
    this.gateway.dispatch(t, d);
  }

  /** Adds a user (a member of the guild). `closedDms`: DMs to them fail with 50007. */
  addUser(username: string, opts: { closedDms?: boolean } = {}): FakeUser {
    const user = makeUser(username);
    this.users.set(user.id, user);
    if (opts.closedDms) this.closedDms.add(user.id);
    return user;
  }

  /** Simulates an outage on matching REST routes (see {@link Fault}). */
  addFault(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  /** Ends every simulated outage. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** The DM channel between the bot and a user (created on first use). */
  dmChannelFor(userId: string): FakeChannel {
    for (const c of this.channels.values()) if (c.type === 1 && c.recipientId === userId) return c;
    const channel: FakeChannel = { id: snowflake(), type: 1, recipientId: userId };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** Stores a new bot message and records it. */
  storeMessage(
    message: ApiMessage,
    via: Via,
    allowedMentions: unknown,
    interactionId?: string,
  ): void {
    this.messages.set(message.id, message);
    this.record(message, via, allowedMentions, interactionId);
  }

  /** Applies an edit (content/components/flags) to a stored message and records it. */
  editMessage(
    id: string,
    body: Record<string, unknown>,
    via: Via,
    interactionId?: string,
  ): ApiMessage {
    const message = this.messages.get(id)!;
    if (body.content !== undefined && body.content !== null) message.content = String(body.content);
    if (Array.isArray(body.components)) message.components = body.components;
    message.flags &= ~128;
    message.edited_timestamp = new Date().toISOString();
    this.record(message, via, body.allowed_mentions, interactionId);
    return message;
  }

  private record(
    message: ApiMessage,
    via: Via,
    allowedMentions: unknown,
    interactionId?: string,
  ): void {
    const channel = this.channels.get(message.channel_id);
    this.sent.push({
      via,
      messageId: message.id,
      channelId: message.channel_id,
      ...(message.guild_id ? { guildId: message.guild_id } : {}),
      ...(channel?.type === 1 ? { dmUserId: channel.recipientId } : {}),
      ...(interactionId ? { interactionId } : {}),
      content: message.content,
      components: structuredClone(message.components) as Record<string, unknown>[],
      flags: message.flags,
      ephemeral: (message.flags & 64) !== 0,
      allowedMentions,
      pings: pingsOf(message.content, allowedMentions),
      ...(message.message_reference ? { referenceId: message.message_reference.message_id } : {}),
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      body = {};
    }
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, "");
    const route = `${req.method} ${path}`;
    this.requests.push(route);
    if (this.applyFault(route, res)) return;
    const out = handleRest(
      this,
      req.method ?? "GET",
      path,
      url.searchParams,
      body,
      req.headers.authorization,
    );
    if (out.status >= 400) this.errors.push({ route, status: out.status, body: out.body });
    const delay =
      typeof this.responseDelayMs === "function" ? this.responseDelayMs() : this.responseDelayMs;
    if (delay > 0) {
      this.heldAnswers++;
      await new Promise((r) => setTimeout(r, delay));
      this.heldAnswers--;
    }
    if (res.destroyed) return;
    res.writeHead(out.status, out.body === undefined ? {} : { "content-type": "application/json" });
    res.end(out.body === undefined ? undefined : JSON.stringify(out.body));
  }

  /** Answers (or hangs) a request hit by a fault; false when no fault matches. */
  private applyFault(route: string, res: ServerResponse): boolean {
    const fault = this.faults.find((f) => f.route.test(route));
    if (!fault) return false;
    if (fault.times !== undefined && --fault.times <= 0) {
      this.faults.splice(this.faults.indexOf(fault), 1);
    }
    this.faulted.push(route);
    if (fault.hang) return true;
    const status = fault.status ?? 500;
    const body: Record<string, unknown> = {
      code: fault.code ?? 0,
      message: status === 429 ? "You are being rate limited." : `${status}: simulated outage`,
    };
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (status === 429) {
      const after = fault.retryAfter ?? 1;
      body.retry_after = after;
      body.global = false;
      headers["retry-after"] = String(after);
      headers["x-ratelimit-scope"] = "user";
    }
    this.errors.push({ route, status, body });
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
    return true;
  }

  // ---- what users do ----

  private newInteraction(
    kind: InteractionState["kind"],
    channel: FakeChannel,
    sourceMessageId?: string,
  ) {
    const state: InteractionState = {
      id: snowflake(),
      token: `aW50ZXJhY3Rpb246.${snowflake()}_t-k`,
      createdAt: Date.now(),
      kind,
      channel,
      acked: false,
      ...(sourceMessageId ? { sourceMessageId } : {}),
    };
    this.interactions.set(state.id, state);
    return state;
  }

  /**
   * The user runs a slash command, in the guild channel or (with `dm`) in their DMs.
   * `subcommand` wraps the options in it; `permissions` replaces the member's permission bits
   * (a decimal string, as Discord sends them).
   */
  slashCommand(
    user: FakeUser,
    name: string,
    opts: {
      options?: Record<string, string>;
      dm?: boolean;
      subcommand?: string;
      permissions?: string;
    } = {},
  ): InteractionState {
    const channel = opts.dm ? this.dmChannelFor(user.id) : this.channels.get(this.guild.channelId)!;
    const state = this.newInteraction("command", channel);
    const values = Object.entries(opts.options ?? {}).map(([n, value]) => ({
      name: n,
      type: 3,
      value,
    }));
    const options = opts.subcommand
      ? [{ name: opts.subcommand, type: 1, options: values }]
      : values;
    const base = interactionJson(state, user, this);
    if (opts.permissions !== undefined && base.member)
      base.member = { ...(base.member as object), permissions: opts.permissions };
    this.gateway.dispatch("INTERACTION_CREATE", {
      ...base,
      type: 2,
      data: { id: snowflake(), name, type: 1, ...(options.length ? { options } : {}) },
    });
    return state;
  }

  /**
   * The user clicks a button (by custom_id) on a message the bot sent. Like Discord, the
   * button must be on the message, unless `forged` (a test of the adapter's sanity checks).
   */
  click(user: FakeUser, messageId: string, customId: string, forged = false): InteractionState {
    return this.component(user, messageId, { custom_id: customId, component_type: 2 }, forged);
  }

  /** The user picks values in a select menu (by custom_id) on a bot message. */
  select(user: FakeUser, messageId: string, customId: string, values: string[]): InteractionState {
    return this.component(user, messageId, { custom_id: customId, component_type: 3, values });
  }

  private component(
    user: FakeUser,
    messageId: string,
    data: Record<string, unknown>,
    forged = false,
  ): InteractionState {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`fake-discord: no message ${messageId}`);
    const present = (message.components as { components?: { custom_id?: string }[] }[]).some(
      (row) => row.components?.some((c) => c.custom_id === data.custom_id),
    );
    if (!present && !forged) {
      throw new Error(
        `fake-discord: message ${messageId} has no component ${String(data.custom_id)}`,
      );
    }
    const channel = this.channels.get(message.channel_id)!;
    const state = this.newInteraction("component", channel, messageId);
    this.gateway.dispatch("INTERACTION_CREATE", {
      ...interactionJson(state, user, this),
      type: 3,
      data,
      message: structuredClone(message),
    });
    return state;
  }

  /**
   * The user posts a message: in the guild channel (or `channelId`: another channel or a
   * thread), or in their DMs. As Discord does without the MessageContent intent, the content is
   * blank unless it mentions the bot, by its user or its managed role (`mentionRole`; the
   * fake assumes Discord counts that as a mention of the app). `replyTo` makes it a reply
   * (with `referenced_message`, as in MESSAGE_CREATE).
   */
  userMessage(
    user: FakeUser,
    content: string,
    opts: {
      dm?: boolean;
      mentionBot?: boolean;
      mentionRole?: boolean;
      channelId?: string;
      replyTo?: ApiMessage;
    } = {},
  ): ApiMessage {
    const channel = opts.dm
      ? this.dmChannelFor(user.id)
      : this.channels.get(opts.channelId ?? this.guild.channelId)!;
    const mentions = opts.mentionBot ? [this.bot] : [];
    const visible =
      opts.dm || opts.mentionBot || opts.mentionRole || this.readsContent ? content : "";
    const message = messageJson({
      channel,
      author: user,
      content: visible,
      mentions,
      ...(opts.mentionRole ? { mentionRoles: [this.botRoleId] } : {}),
      ...(opts.replyTo
        ? { reference: { message_id: opts.replyTo.id, channel_id: channel.id } }
        : {}),
    });
    this.messages.set(message.id, message);
    this.written.set(message.id, content);
    const extra = {
      ...(channel.type === 1 ? {} : { member: memberJson(user) }),
      channel_type: channel.type,
      ...(opts.replyTo ? { referenced_message: opts.replyTo } : {}),
    };
    this.gateway.dispatch("MESSAGE_CREATE", { ...message, ...extra });
    return message;
  }

  /**
   * The user runs a message context-menu command (Apps → `name`) on `target`. Like Discord, the
   * resolved message carries its full content whatever the bot's intents.
   */
  messageCommand(user: FakeUser, name: string, target: ApiMessage): InteractionState {
    const channel = this.channels.get(target.channel_id)!;
    const state = this.newInteraction("command", channel);
    const message = { ...target, content: this.written.get(target.id) ?? target.content };
    this.contextMenu(state, user, name, 3, target.id, { messages: { [target.id]: message } });
    return state;
  }

  /** The user runs a user context-menu command (right-click a member → Apps → `name`). */
  userCommand(user: FakeUser, name: string, target: FakeUser, opts: { dm?: boolean } = {}) {
    const channel = opts.dm ? this.dmChannelFor(user.id) : this.channels.get(this.guild.channelId)!;
    const state = this.newInteraction("command", channel);
    const { user: _, ...member } = memberJson(target) as Record<string, unknown>;
    this.contextMenu(state, user, name, 2, target.id, {
      users: { [target.id]: target },
      members: { [target.id]: member },
    });
    return state;
  }

  /** Dispatches an application-command interaction for a context menu (2: user, 3: message). */
  private contextMenu(
    state: InteractionState,
    user: FakeUser,
    name: string,
    menu: 2 | 3,
    targetId: string,
    resolved: Record<string, unknown>,
  ): void {
    this.gateway.dispatch("INTERACTION_CREATE", {
      ...interactionJson(state, user, this),
      type: 2,
      data: { id: snowflake(), name, type: menu, target_id: targetId, resolved },
    });
  }

  // ---- waiting ----

  /** Waits until `predicate` holds (polling), or fails with `what` after `timeoutMs`. */
  async waitFor<T>(
    what: string,
    predicate: () => T | undefined | false,
    timeoutMs = 3000,
  ): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > until) {
        const seen = this.sent.map((s) => `${s.via}: ${s.content.slice(0, 60)}`).join("\n  ");
        throw new Error(`fake-discord: timed out waiting for ${what}. Sent so far:\n  ${seen}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
