package sample;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;

public final class Main {
  public static void main(String[] args) throws Exception {
    Shouter service = new Shouter() {
      @Override
      public Words shout(Words request) {
        return Words.newBuilder().setText(request.getText().toUpperCase() + "!").build();
      }

      @Override
      public void spell(Words request, StreamSink<Words> responses) {
        for (char c : request.getText().toCharArray()) {
          responses.send(Words.newBuilder().setText(String.valueOf(c)).build());
        }
      }
    };
    try (Server server = Server.builder().address("127.0.0.1", 0).service(service).start();
        ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      var client = Shouter.client(channel); // README style: needs the snippet's Java release
      StringBuilder spelled = new StringBuilder();
      try (StreamSource<Words> letters = client.spell(Words.newBuilder().setText("abc").build())) {
        for (Words w : letters) {
          spelled.append(w.getText()).append('.');
        }
      }
      System.out.println("SAMPLE OK " + client.shout(Words.newBuilder().setText("hey").build()).getText()
          + " " + spelled);
    }
  }
}
