package io.tether.conn.sql.internal.source;

import static java.time.temporal.ChronoField.NANO_OF_SECOND;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/**
 * An index of date-times ({@code indexFieldType: DATETIME}). Values keep the text they came as (the configuration's,
 * or the database's for SQLite, which stores date-times as text), so that a database that compares text is given
 * exactly the text it holds; other databases are given a timestamp.
 */
final class DateTimeIndex implements IndexType {
    /** What the database gave as a timestamp is kept as this text: every fraction digit, so nothing is lost. */
    static final DateTimeFormatter TEXT = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd HH:mm:ss")
            .appendFraction(NANO_OF_SECOND, 0, 9, true).toFormatter();
    private static final DateTimeFormatter LENIENT = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").appendFraction(NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    /** The {@code dateTimeFormat} of the configuration, or {@code null}. */
    private final DateTimeFormatter format;

    /** @param dateTimeFormat eKuiper's format ({@code YYYY-MM-dd HH:mm:ss}), or {@code null} */
    DateTimeIndex(String dateTimeFormat) {
        this.format = dateTimeFormat == null ? null : formatter(dateTimeFormat);
    }

    /** @throws IllegalArgumentException when the format is not one */
    static DateTimeFormatter formatter(String dateTimeFormat) {
        // eKuiper writes the year YYYY (week-based in Java); Java's year of era is uuuu
        return DateTimeFormatter.ofPattern(dateTimeFormat.replace("YYYY", "uuuu").replace("YY", "uu"));
    }

    @Override
    public IndexValue fromConfig(Object value) {
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("indexValue must be a date-time as text");
        }
        return new IndexValue(parse(text), text);
    }

    @Override
    public IndexValue fromRow(Object value) {
        LocalDateTime time;
        if (value instanceof Timestamp timestamp) {
            time = timestamp.toLocalDateTime();
        } else if (value instanceof LocalDateTime local) {
            time = local;
        } else if (value instanceof OffsetDateTime offset) {
            time = offset.atZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalDateTime();
        } else if (value instanceof ZonedDateTime zoned) {
            time = zoned.withZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalDateTime();
        } else if (value instanceof java.sql.Date date) {
            time = date.toLocalDate().atStartOfDay();
        } else if (value instanceof LocalDate date) {
            time = date.atStartOfDay();
        } else if (value instanceof String text) {
            return new IndexValue(parse(text), text);
        } else {
            throw new IllegalArgumentException("the index field has a value of type "
                    + (value == null ? "null" : value.getClass().getSimpleName()) + ", not a date-time");
        }
        return new IndexValue(time, TEXT.format(time));
    }

    @Override
    public IndexValue fromState(Object value) {
        return fromConfig(value);
    }

    @Override
    public void bind(PreparedStatement statement, int parameter, IndexValue value, boolean textDatetimes)
            throws SQLException {
        if (textDatetimes) {
            statement.setString(parameter, (String) value.stored());
        } else {
            statement.setTimestamp(parameter, Timestamp.valueOf((LocalDateTime) value.order()));
        }
    }

    private LocalDateTime parse(String text) {
        if (format != null) {
            try {
                return LocalDateTime.parse(text, format);
            } catch (DateTimeParseException e) {
                // the database's own text (with fractions the format lacks, say) is tried below
            }
        }
        try {
            return LocalDateTime.parse(text.strip(), LENIENT);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a date-time"
                    + (format == null ? " (yyyy-MM-dd HH:mm:ss[.fraction]; or set dateTimeFormat)"
                            : " in the dateTimeFormat"));
        }
    }
}
