package dev.strand.internal.client;

import dev.strand.ConnectivityState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A channel's connectivity state (connectivity-semantics-and-api.md) and the callbacks waiting for
 * it to leave a state, run on {@code events} once it does. Thread-safe.
 */
final class ChannelState {
  private final Executor events;
  private final List<Runnable> watchers = new ArrayList<>();
  private ConnectivityState state = ConnectivityState.IDLE;

  ChannelState(Executor events) {
    this.events = events;
  }

  synchronized ConnectivityState get() {
    return state;
  }

  /** Moves to {@code next}; if that is a change, every waiting callback runs. */
  void set(ConnectivityState next) {
    List<Runnable> due;
    synchronized (this) {
      if (state == next) {
        return;
      }
      state = next;
      due = new ArrayList<>(watchers);
      watchers.clear();
    }
    due.forEach(events::execute);
  }

  /** Runs {@code callback} once the state is no longer {@code source} (at once if it is not). */
  void notifyWhenChanged(ConnectivityState source, Runnable callback) {
    synchronized (this) {
      if (state == source) {
        watchers.add(callback);
        return;
      }
    }
    events.execute(callback);
  }
}
