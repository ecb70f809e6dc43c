package dev.strand.stub;

/** The transport events an adapter cares about besides messages. */
interface CallEvents {
  void onReady();

  void onCancel();

  void onComplete();
}
