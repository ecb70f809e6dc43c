package dev.strand.internal.config;

/**
 * The service config's {@code healthCheckConfig} (A17): client-side health checking asks the
 * server's health service about this name and sends calls only to backends that answer SERVING.
 * Acted on by the channel's subchannels ({@code dev.strand.internal.client.ConnectionSubchannel}).
 *
 * @param serviceName the name the health check asks about; may be empty (the server as a whole)
 */
public record HealthCheckConfig(String serviceName) {}
