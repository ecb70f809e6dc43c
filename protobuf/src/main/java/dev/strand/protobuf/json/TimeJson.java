package dev.strand.protobuf.json;

/**
 * Timestamp and Duration as JsonFormat prints them (protobuf-java-util's {@code Timestamps} and
 * {@code Durations}), computed from the numbers: no calendar, no date formatter, no String.
 */
final class TimeJson {
  /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range Timestamps accepts. */
  private static final long TIMESTAMP_MIN_SECONDS = -62_135_596_800L;

  private static final long TIMESTAMP_MAX_SECONDS = 253_402_300_799L;

  /** About ±10,000 years, the range Durations accepts. */
  private static final long DURATION_MAX_SECONDS = 315_576_000_000L;

  private static final int MAX_NANOS = 999_999_999;
  private static final int SECONDS_PER_DAY = 86_400;

  private TimeJson() {}

  /**
   * {@code "1972-01-01T10:00:20.021Z"}: UTC, the fraction in 0, 3, 6 or 9 digits. False, having
   * written nothing, for a value Timestamps rejects (JsonFormat then fails, and the fallback with
   * it).
   */
  static boolean writeTimestamp(JsonBytes out, long seconds, int nanos) {
    if (seconds < TIMESTAMP_MIN_SECONDS
        || seconds > TIMESTAMP_MAX_SECONDS
        || nanos < 0
        || nanos > MAX_NANOS) {
      return false;
    }
    long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
    int secondOfDay = Math.floorMod(seconds, SECONDS_PER_DAY);
    // Days since 1970-01-01 to a proleptic Gregorian date, by 400-year eras starting in March
    // (the leap day last), as in Howard Hinnant's civil_from_days.
    long shifted = days + 719_468;
    long era = Math.floorDiv(shifted, 146_097);
    long dayOfEra = shifted - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long monthFromMarch = (5 * dayOfYear + 2) / 153;
    long day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
    long month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

    out.write((byte) '"');
    out.writePadded(year, 4);
    out.write((byte) '-');
    out.writePadded(month, 2);
    out.write((byte) '-');
    out.writePadded(day, 2);
    out.write((byte) 'T');
    out.writePadded(secondOfDay / 3600, 2);
    out.write((byte) ':');
    out.writePadded(secondOfDay / 60 % 60, 2);
    out.write((byte) ':');
    out.writePadded(secondOfDay % 60, 2);
    writeFraction(out, nanos);
    out.write((byte) 'Z');
    out.write((byte) '"');
    return true;
  }

  /**
   * {@code "-1.500s"}: seconds, the fraction in 0, 3, 6 or 9 digits. False, having written nothing,
   * for a value Durations rejects (out of range, or seconds and nanos of opposite signs).
   */
  static boolean writeDuration(JsonBytes out, long seconds, int nanos) {
    if (seconds < -DURATION_MAX_SECONDS
        || seconds > DURATION_MAX_SECONDS
        || nanos < -MAX_NANOS
        || nanos > MAX_NANOS
        || (seconds < 0 && nanos > 0)
        || (seconds > 0 && nanos < 0)) {
      return false;
    }
    out.write((byte) '"');
    if (seconds < 0 || nanos < 0) {
      out.write((byte) '-');
      seconds = -seconds;
      nanos = -nanos;
    }
    out.writeLong(seconds);
    writeFraction(out, nanos);
    out.write((byte) 's');
    out.write((byte) '"');
    return true;
  }

  /** Nothing for whole seconds, else a point and the fewest of 3, 6 or 9 digits that are exact. */
  private static void writeFraction(JsonBytes out, int nanos) {
    if (nanos == 0) {
      return;
    }
    out.write((byte) '.');
    if (nanos % 1_000_000 == 0) {
      out.writePadded(nanos / 1_000_000, 3);
    } else if (nanos % 1000 == 0) {
      out.writePadded(nanos / 1000, 6);
    } else {
      out.writePadded(nanos, 9);
    }
  }
}
