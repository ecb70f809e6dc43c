/**
 * Protobuf for Strand: marshallers for generated messages and the schema generated services carry
 * ({@link dev.strand.protobuf.ProtoServiceSchema}), read by reflection and transcoding.
 */
module dev.strand.protobuf {
  requires transitive dev.strand.core;
  requires transitive com.google.protobuf;

  exports dev.strand.protobuf;
}
