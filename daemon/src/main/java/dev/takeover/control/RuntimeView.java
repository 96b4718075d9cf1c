package dev.takeover.control;

/**
 * How punctually the daemon runs, for {@code takeover status}: how late the engine got to work that
 * was due (timers, and adverts from their arrival), the stalls among those, and the JVM's garbage
 * collections. Microseconds unless the name says otherwise.
 *
 * @param timers how many due timers and adverts were measured
 * @param lateP99Us at most this late for 99 % of them (a power of two: histogram bucket)
 * @param stalls runs at least {@code stallThresholdMs} late
 * @param heapAfterGcBytes heap in use right after the last collection (-1 before the first): what
 *     the daemon really holds, unlike {@code heapUsedBytes}, which includes garbage not yet
 *     collected
 * @param droppedEvents events the engine dropped because its queue was full (a flood outran it)
 */
public record RuntimeView(
    long timers,
    long lateP50Us,
    long lateP99Us,
    long lateP999Us,
    long lateMaxUs,
    long stallThresholdMs,
    long stalls,
    long longestStallUs,
    long gcCount,
    long gcTotalMs,
    long gcMaxMs,
    long heapUsedBytes,
    long residentBytes,
    long realtimePriority,
    long heapAfterGcBytes,
    long droppedEvents) {}
