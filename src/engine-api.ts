import type { Reply, Turn } from "./types.ts";

/** What every adapter talks to: one turn in, the replies to show out. Never throws. */
export interface Engine {
  handle(turn: Turn): Promise<Reply[]>;
}
