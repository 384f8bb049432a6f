import type { HomeUser, HomeView } from "./engine/home.ts";
import type { Reply, Turn } from "./types.ts";

/** What every adapter talks to: one turn in, the replies to show out. Never throws. */
export interface Engine {
  handle(turn: Turn): Promise<Reply[]>;
  /**
   * What `user` has open (the check in progress, scheduled check-ins), for a home screen. Read
   * only. Optional: an engine without it has no home screen to offer.
   */
  home?(user: HomeUser): Promise<HomeView>;
}
