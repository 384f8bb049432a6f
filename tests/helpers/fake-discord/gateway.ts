/**
 * The fake's gateway WebSocket: HELLO, IDENTIFY → READY (+ GUILD_CREATE), heartbeats and
 * ACKs, then dispatches. Refuses privileged intents the way Discord does (close 4014) unless
 * the test allows them, so the adapter can't silently depend on MessageContent.
 */
import type { Server } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";
import type { FakeGuild, FakeUser } from "./objects.ts";

/** Intents Discord only grants when enabled in the Developer Portal. */
export const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);

/** What the gateway needs from the fake. */
export interface GatewayHost {
  token: string;
  applicationId: string;
  bot: FakeUser;
  guilds: FakeGuild[];
  allowPrivilegedIntents: boolean;
  wsUrl(): string;
  /** The GUILD_CREATE payload for one of the bot's guilds. */
  guildCreate(guild: FakeGuild): object;
}

/** One WebSocket gateway endpoint on the fake's HTTP server. */
export class FakeGateway {
  readonly identifies: { intents: number; shard?: [number, number] }[] = [];
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<WebSocket>();
  private seq = 0;

  constructor(
    server: Server,
    private readonly host: GatewayHost,
  ) {
    this.wss = new WebSocketServer({ server, path: "/gateway" });
    this.wss.on("connection", (socket) => this.onConnection(socket));
  }

  /** Number of identified sessions (the bot counts as logged in when ≥ 1). */
  get connected(): number {
    return this.sessions.size;
  }

  /** Sends an event to every identified session. */
  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    const frame = JSON.stringify({ op: 0, t, s: this.seq, d });
    for (const socket of this.sessions) socket.send(frame);
  }

  /** Closes every socket and the server. */
  async close(): Promise<void> {
    for (const socket of this.wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket): void {
    socket.send(JSON.stringify({ op: 10, s: null, t: null, d: { heartbeat_interval: 41250 } }));
    socket.on("close", () => this.sessions.delete(socket));
    socket.on("message", (raw) => {
      let frame: { op?: number; d?: unknown };
      try {
        frame = JSON.parse(String(raw)) as { op?: number; d?: unknown };
      } catch {
        socket.close(4002, "Decode error");
        return;
      }
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11, s: null, t: null, d: null }));
      else if (frame.op === 2)
        this.onIdentify(
          socket,
          frame.d as { token?: string; intents?: number; shard?: [number, number] },
        );
      else if (frame.op === 6) socket.send(JSON.stringify({ op: 9, s: null, t: null, d: false }));
    });
  }

  private onIdentify(
    socket: WebSocket,
    d: { token?: string; intents?: number; shard?: [number, number] },
  ): void {
    const intents = Number(d.intents ?? 0);
    this.identifies.push({ intents, ...(d.shard ? { shard: d.shard } : {}) });
    if (d.token !== this.host.token) return void socket.close(4004, "Authentication failed.");
    if (intents & PRIVILEGED_INTENTS && !this.host.allowPrivilegedIntents) {
      return void socket.close(4014, "Disallowed intent(s).");
    }
    this.sessions.add(socket);
    this.seq += 1;
    const ready = {
      v: 10,
      user: this.host.bot,
      guilds: this.host.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: "fake-session",
      resume_gateway_url: this.host.wsUrl(),
      shard: d.shard ?? [0, 1],
      application: { id: this.host.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
    };
    socket.send(JSON.stringify({ op: 0, t: "READY", s: this.seq, d: ready }));
    for (const guild of this.host.guilds) {
      this.seq += 1;
      const d = this.host.guildCreate(guild);
      socket.send(JSON.stringify({ op: 0, t: "GUILD_CREATE", s: this.seq, d }));
    }
  }
}
