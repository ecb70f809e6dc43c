package dev.strand;

/** The state of a channel's connection, per gRPC's connectivity-semantics-and-api.md. */
public enum ConnectivityState {
  /** No connection, and none being made: the next call (or a request) starts one. */
  IDLE,
  /** A connection is being made. */
  CONNECTING,
  /** Connected: calls go out at once. */
  READY,
  /** The last attempt failed; another follows after a backoff. Fail-fast calls fail now. */
  TRANSIENT_FAILURE,
  /** The channel was shut down. */
  SHUTDOWN
}
