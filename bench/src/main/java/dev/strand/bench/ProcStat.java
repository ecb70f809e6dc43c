package dev.strand.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux's /proc says about a process: CPU time and resident memory. */
public final class ProcStat {
  /** USER_HZ: the unit of utime and stime. 100 on every Linux this runs on; --clk_tck overrides. */
  public static long clockTicksPerSecond = Long.getLong("bench.clkTck", 100);

  private ProcStat() {}

  /** utime + stime of the process, in microseconds; -1 if it cannot be read. */
  public static long cpuMicros(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return ticks * 1_000_000L / clockTicksPerSecond;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** VmRSS in KiB; -1 if it cannot be read. */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return -1;
  }
}
