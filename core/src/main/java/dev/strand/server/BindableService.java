package dev.strand.server;

/** Anything that can describe itself as a service: generated service interfaces implement it. */
public interface BindableService {
  ServiceDefinition bindService();
}
