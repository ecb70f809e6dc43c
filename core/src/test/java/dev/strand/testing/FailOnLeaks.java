package dev.strand.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class if Netty reported a leaked buffer while it ran. Registered for every test
 * class by service loading (see junit-platform.properties).
 */
public final class FailOnLeaks implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = LeakRecorder.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size()
              + " Netty buffer leak(s) in "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n---\n", leaks));
    }
  }
}
