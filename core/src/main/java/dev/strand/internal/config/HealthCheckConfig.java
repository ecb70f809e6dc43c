package dev.strand.internal.config;

/**
 * The service config's {@code healthCheckConfig} (A17): client-side health checking asks the
 * server's health service about this name and sends calls only to backends that answer SERVING.
 * Parsed, not yet acted on.
 *
 * @param serviceName the name the health check asks about; may be empty (the server as a whole)
 */
public record HealthCheckConfig(String serviceName) {}
