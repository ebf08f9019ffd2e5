/**
 * Folder listings read ahead of a walk on libuv's thread pool: the kernel's part of a listing (most of its
 * cost) runs on another core while the walk records the folders before it. The walk still records folders
 * one at a time in its own order; a folder it reaches before its listing came is waited for, one it reaches
 * unclaimed is read at once as before.
 */
import * as fs from 'fs';

/** A folder's entries in directory order, or why it could not be read. */
export type Listing = fs.Dirent[] | Error;

/** One folder read ahead: `listing` once it has come. */
export interface AheadSlot {
  listing?: Listing;
  /** Resolves once `listing` is set (made only when the walk waits for it). */
  ready?: Promise<void>;
  wake?: () => void;
}

export class ReadAhead {
  private readonly slots = new Map<string, AheadSlot>();
  private inFlight = 0;

  constructor(
    /** Listings read at once on the pool. */
    private readonly maxInFlight: number,
    /** Listings read or being read and not yet taken (bounds what waits in memory). */
    private readonly maxHeld: number,
  ) {}

  /** No room for another listing now. */
  get full(): boolean {
    return this.inFlight >= this.maxInFlight || this.slots.size >= this.maxHeld;
  }

  /** True while some listing is still being read: its answer comes only when the event loop turns. */
  get reading(): boolean {
    return this.inFlight > 0;
  }

  /** Starts listing `abs` on the pool (the caller checks `full`). */
  start(abs: string): void {
    const slot: AheadSlot = {};
    this.slots.set(abs, slot);
    this.inFlight++;
    fs.readdir(abs, { withFileTypes: true }, (err, entries) => {
      this.inFlight--;
      slot.listing = err ?? entries;
      slot.wake?.();
    });
  }

  /** The slot read ahead for `abs`, taken out; undefined when it was not read ahead. */
  take(abs: string): AheadSlot | undefined {
    const slot = this.slots.get(abs);
    if (!slot) return undefined;
    this.slots.delete(abs);
    if (!slot.listing) slot.ready ??= new Promise<void>((resolve) => (slot.wake = resolve));
    return slot;
  }

  /** Forgets a listing the walk will not take (a link not walked again); one still read is dropped when it comes. */
  drop(abs: string): void {
    this.slots.delete(abs);
  }

  /** Forgets every listing (the walk ended or stopped). */
  clear(): void {
    this.slots.clear();
  }
}
