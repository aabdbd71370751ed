// DynamoDB Local bound to 127.0.0.1 only. DynamoDB Local has no bind option: its Jetty server is
// built with a port alone and listens on every interface. This launcher builds the server exactly
// as DynamoDBLocal.jar's own main does (ServerRunner.createServerFromCommandLineArgs, the embedding
// API AWS documents), then sets the host of its Jetty connectors to the loopback address before
// starting it. Run with java's source-file mode (no build step):
//   java -cp DynamoDBLocal.jar:DynamoDBLocal_lib/* LoopbackDynamoDbLocal.java -port P ...
// local/servers.ts compiles it once into the temp dir when javac is there (faster starts).
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("motcua.bind", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    int bound = 0;
    for (Connector c : jetty.getConnectors()) {
      if (c instanceof ServerConnector sc) {
        sc.setHost(host);
        bound++;
      }
    }
    if (bound == 0) throw new IllegalStateException("no Jetty connector to bind to " + host);
    proxy.start();
    System.out.println("DynamoDB Local listening on " + host);
    proxy.join();
  }
}
