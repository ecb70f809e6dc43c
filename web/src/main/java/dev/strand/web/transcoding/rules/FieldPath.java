package dev.strand.web.transcoding.rules;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * A dotted path of fields from a request message ({@code sub.subfield}), resolved against its
 * descriptor: each name is the field's proto name or its JSON name, every step but the last a
 * singular message field.
 */
public record FieldPath(List<FieldDescriptor> fields) {
  public FieldPath {
    fields = List.copyOf(fields);
  }

  /** Resolves {@code names} from {@code root}, or throws saying which name is wrong and why. */
  public static FieldPath resolve(Descriptor root, List<String> names) {
    List<FieldDescriptor> fields = new ArrayList<>(names.size());
    Descriptor message = root;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (message == null) {
        throw new IllegalArgumentException(
            "'"
                + String.join(".", names)
                + "': "
                + fields.get(i - 1).getName()
                + " is not a message");
      }
      FieldDescriptor field = find(message, name);
      if (field == null) {
        throw new IllegalArgumentException(
            "'"
                + String.join(".", names)
                + "': "
                + message.getFullName()
                + " has no field "
                + name);
      }
      if (i < names.size() - 1) {
        if (field.isRepeated()) {
          throw new IllegalArgumentException(
              "'" + String.join(".", names) + "': " + name + " is repeated; only its end may be");
        }
        message =
            field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && !WellKnownValues.isScalarLike(field.getMessageType())
                ? field.getMessageType()
                : null;
      }
      fields.add(field);
    }
    return new FieldPath(fields);
  }

  private static FieldDescriptor find(Descriptor message, String name) {
    FieldDescriptor field = message.findFieldByName(name);
    if (field != null) {
      return field;
    }
    for (FieldDescriptor f : message.getFields()) {
      if (f.getJsonName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  public FieldDescriptor last() {
    return fields.get(fields.size() - 1);
  }

  /** The proto names, dotted: how errors and OpenAPI name the field. */
  public String dotted() {
    StringBuilder out = new StringBuilder();
    for (FieldDescriptor f : fields) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(f.getName());
    }
    return out.toString();
  }

  /** True if {@code other} is this path or starts with it (or this one starts with it). */
  public boolean overlaps(FieldPath other) {
    int n = Math.min(fields.size(), other.fields.size());
    return fields.subList(0, n).equals(other.fields.subList(0, n));
  }
}
