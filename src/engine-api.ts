import type { HomeUser, HomeView } from "./engine/home.ts";
import type { Reply, Turn } from "./types.ts";

/** What every adapter talks to, and the only thing it talks to in the core. */
export interface Engine {
  /** One turn in, the replies to show out, their visibility settled. Never throws. */
  handle(turn: Turn): Promise<Reply[]>;
  /**
   * The short private apology for a failure outside the engine (a post the platform refused,
   * an engine that broke its promise and threw): the knowledge's `error` wording, so adapters
   * keep no user-facing text of their own for it.
   */
  apology(): Reply;
  /**
   * What `user` has open (the check in progress, scheduled check-ins), for a home screen. Read
   * only. Optional: an engine without it has no home screen to offer.
   */
  home?(user: HomeUser): Promise<HomeView>;
}
