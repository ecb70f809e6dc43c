package dev.strand.internal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Carries one client call's commands to the event loop of the connection it runs on. Before the
 * call has a connection, commands wait here in order. If the connection gets GOAWAY before the
 * call's stream started, the server never saw the call, so it moves to a new connection: the
 * commands already queued on the old one are collected in order (up to a marker) and replayed,
 * ahead of any that arrive meanwhile.
 */
public final class CallRouter<C extends Connection> {
  private final AtomicBoolean closed;
  private final List<Runnable> pending = new ArrayList<>();
  private final List<Runnable> rerouted = new ArrayList<>();
  private volatile C connection;
  private int route;
  private boolean rerouting;
  private C next;
  private boolean oldQueueDrained;
  private boolean handingOver;

  /** {@code closed} is the call's: once it is set, nothing more is routed. */
  public CallRouter(AtomicBoolean closed) {
    this.closed = closed;
  }

  /** The connection the call runs on, or null before it has one. */
  public C connection() {
    return connection;
  }

  /**
   * Routes a command; false if the call is over (the command will not run). On its connection's
   * event loop, with nothing queued there, it runs at once: a response handler that sends its next
   * message costs no task hop.
   */
  public boolean submit(Runnable command) {
    C direct;
    synchronized (this) {
      if (closed.get()) {
        return false;
      }
      if (connection == null || rerouting) {
        pending.add(command);
        return true;
      }
      if (handingOver || !connection.commands().canRunNow()) {
        // Enqueued under the lock, so no command can overtake the ones attach() hands over.
        connection.commands().enqueue(onRoute(command, route));
        return true;
      }
      direct = connection;
    }
    // Outside the lock: a command may call the application, which may call this call.
    command.run();
    direct.commands().flushSoon();
    return true;
  }

  /** The call got its connection: the waiting commands go there. False if the call is over. */
  public boolean attach(C conn) {
    List<Runnable> commands;
    int current;
    synchronized (this) {
      if (closed.get()) {
        return false;
      }
      connection = conn;
      commands = new ArrayList<>(pending);
      pending.clear();
      if (!conn.commands().canRunNow()) {
        handOver(conn, commands);
        return true;
      }
      // On the connection's event loop: run them here, in order. Commands submitted meanwhile
      // (from this thread or any other) queue behind them.
      handingOver = true;
      current = route;
    }
    try {
      for (Runnable command : commands) {
        onRoute(command, current).run();
      }
    } finally {
      synchronized (this) {
        handingOver = false;
      }
    }
    conn.commands().flushSoon();
    return true;
  }

  /**
   * Enqueues waiting commands on {@code conn}. Callers hold the lock: a command submitted meanwhile
   * must queue behind these, never between them.
   */
  private void handOver(C conn, List<Runnable> commands) {
    int current = route;
    for (Runnable command : commands) {
      conn.commands().enqueue(onRoute(command, current));
    }
  }

  /**
   * Marks the call closed if it has no connection yet. False if it has one (close it on that
   * connection's event loop) or was already closed.
   */
  public synchronized boolean closeBeforeAttach() {
    return connection == null && closed.compareAndSet(false, true);
  }

  /** Moves the call to {@code nextConnection}; {@code start} runs first there. */
  public void reroute(
      Runnable start, CompletableFuture<C> nextConnection, Consumer<Throwable> onFailure) {
    C old;
    synchronized (this) {
      rerouting = true;
      route++;
      rerouted.add(start);
      old = connection;
      next = null;
      oldQueueDrained = false;
    }
    old.commands()
        .enqueue(
            () -> {
              synchronized (this) {
                oldQueueDrained = true;
              }
              finishReroute();
            });
    nextConnection.whenComplete(
        (conn, error) -> {
          if (error != null) {
            onFailure.accept(error);
            return;
          }
          synchronized (this) {
            next = conn;
          }
          finishReroute();
        });
  }

  /** Takes every command that has not run, in order. */
  public synchronized List<Runnable> drain() {
    List<Runnable> commands = new ArrayList<>(rerouted);
    commands.addAll(pending);
    rerouted.clear();
    pending.clear();
    return commands;
  }

  /** A command bound to one route: if the call has moved on since, it joins the rerouted list. */
  private Runnable onRoute(Runnable command, int routeAtSubmit) {
    return () -> {
      synchronized (this) {
        if (routeAtSubmit != route) {
          rerouted.add(command);
          return;
        }
      }
      command.run();
    };
  }

  private synchronized void finishReroute() {
    if (!rerouting || !oldQueueDrained || next == null || closed.get()) {
      return;
    }
    rerouting = false;
    connection = next;
    handOver(next, drain());
  }
}
