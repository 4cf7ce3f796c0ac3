package dev.kiai.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;

/**
 * Socket factories that disable Nagle's algorithm on both ends of a loopback benchmark. Without it a
 * request written in two segments waits for the peer's delayed ACK (about 40 ms on Linux), which
 * swamps the microseconds being measured.
 */
final class NoDelaySockets {
  private NoDelaySockets() {}

  /** @return a client socket factory whose sockets have {@code TCP_NODELAY} */
  static SocketFactory client() {
    SocketFactory base = SocketFactory.getDefault();
    return new SocketFactory() {
      @Override
      public Socket createSocket() throws IOException {
        Socket s = base.createSocket();
        s.setTcpNoDelay(true);
        return s;
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        Socket s = base.createSocket(host, port);
        s.setTcpNoDelay(true);
        return s;
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = base.createSocket(host, port, localHost, localPort);
        s.setTcpNoDelay(true);
        return s;
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = base.createSocket(host, port);
        s.setTcpNoDelay(true);
        return s;
      }

      @Override
      public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
          throws IOException {
        Socket s = base.createSocket(address, port, localAddress, localPort);
        s.setTcpNoDelay(true);
        return s;
      }
    };
  }

  /** @return a server socket factory whose accepted sockets have {@code TCP_NODELAY} */
  static ServerSocketFactory server() {
    return new ServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return new NoDelayServerSocket();
      }

      @Override
      public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket s = new NoDelayServerSocket();
        s.bind(new java.net.InetSocketAddress(port));
        return s;
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        ServerSocket s = new NoDelayServerSocket();
        s.bind(new java.net.InetSocketAddress(port), backlog);
        return s;
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
        ServerSocket s = new NoDelayServerSocket();
        s.bind(new java.net.InetSocketAddress(ifAddress, port), backlog);
        return s;
      }
    };
  }

  private static final class NoDelayServerSocket extends ServerSocket {
    NoDelayServerSocket() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      Socket s = super.accept();
      s.setTcpNoDelay(true);
      return s;
    }
  }
}
