package io.bucketprotection.operator.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An "S3 endpoint" that accepts TCP connections and never answers: it reads and discards what it
 * is sent and holds every connection open until the client gives up. Why: a slow or hung endpoint
 * is the realistic way one tenant's S3 can starve the operator's shared reconcile threads; unlike a
 * closed port (refused at once), this one makes every call wait for its timeouts.
 *
 * <p>One selector thread serves every connection, so the black hole itself stays cheap however
 * many connections it holds.
 */
public final class BlackHoleEndpoint implements AutoCloseable {

  private final ServerSocketChannel server;
  private final Selector selector;
  private final Thread thread;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger maxOpen = new AtomicInteger();
  private volatile boolean closed;

  private BlackHoleEndpoint(ServerSocketChannel server, Selector selector) {
    this.server = server;
    this.selector = selector;
    this.thread = new Thread(this::loop, "black-hole");
    this.thread.setDaemon(true);
  }

  public static BlackHoleEndpoint start() throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    server.configureBlocking(false);
    Selector selector = Selector.open();
    server.register(selector, SelectionKey.OP_ACCEPT);
    BlackHoleEndpoint hole = new BlackHoleEndpoint(server, selector);
    hole.thread.start();
    return hole;
  }

  /** scheme://host:port, as a spec's endpoint and BPO_ALLOWED_ENDPOINTS name it. */
  public URI endpoint() throws IOException {
    return URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort());
  }

  /** Connections accepted so far. */
  public long accepted() {
    return accepted.get();
  }

  /** Connections the clients have not closed yet. */
  public int open() {
    return open.get();
  }

  /** The most connections held open at once. */
  public int maxOpen() {
    return maxOpen.get();
  }

  private void loop() {
    ByteBuffer sink = ByteBuffer.allocate(16 * 1024);
    while (!closed) {
      try {
        selector.select(500);
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            SocketChannel channel = server.accept();
            if (channel != null) {
              channel.configureBlocking(false);
              channel.register(selector, SelectionKey.OP_READ);
              accepted.incrementAndGet();
              maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            }
          } else if (key.isReadable()) {
            SocketChannel channel = (SocketChannel) key.channel();
            sink.clear();
            int n;
            try {
              n = channel.read(sink);
            } catch (IOException e) {
              n = -1;
            }
            if (n < 0) {
              key.cancel();
              channel.close();
              open.decrementAndGet();
            }
          }
        }
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    selector.wakeup();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey key : selector.keys()) {
      key.channel().close();
    }
    selector.close();
    server.close();
  }
}
