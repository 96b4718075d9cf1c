package dev.takeover.vrrp;

/**
 * A node heard advertising a group: the priority of its latest advert and when it arrived
 * (monotonic nanoseconds). Only a master advertises (RFC 5798 §6.4.3), so a peer heard recently is
 * acting as master.
 */
public record Peer(int priority, long heardAt) {}
