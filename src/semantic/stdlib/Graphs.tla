-------------------------------- MODULE Graphs --------------------------------
(* The community module Graphs: a graph is a record with a set of nodes    *)
(* and a set of edges (pairs of nodes).  Ordinary definitions, hidden      *)
(* unless cited with DEF.                                                  *)
LOCAL INSTANCE Naturals
LOCAL INSTANCE Sequences
LOCAL INSTANCE SequencesExt
LOCAL INSTANCE FiniteSets

\* G is exactly a record of nodes and edges between them.
IsDirectedGraph(G) ==
  /\ G = [node |-> G.node, edge |-> G.edge]
  /\ G.edge \subseteq (G.node \X G.node)

\* The directed graphs made of some of G's nodes and edges.
DirectedSubgraph(G) ==
  {H \in [node : SUBSET G.node, edge : SUBSET (G.node \X G.node)] :
     IsDirectedGraph(H) /\ H.edge \subseteq G.edge}

\* G with every edge reversed.
Transpose(G) == [edge |-> {<<e[2], e[1]>> : e \in G.edge}, node |-> G.node]

-------------------------------------------------------------------------------
\* Every edge has its reverse.
IsUndirectedGraph(G) ==
  /\ IsDirectedGraph(G)
  /\ \A e \in G.edge : <<e[2], e[1]>> \in G.edge

UndirectedSubgraph(G) == {H \in DirectedSubgraph(G) : IsUndirectedGraph(H)}

-------------------------------------------------------------------------------
\* Non-empty sequences of nodes, consecutive ones joined by an edge.
Path(G) ==
  {p \in Seq(G.node) :
     /\ p # << >>
     /\ \A i \in 1 .. (Len(p) - 1) : <<p[i], p[i + 1]>> \in G.edge}

\* Paths that visit no node twice.
SimplePath(G) ==
  {p \in SeqOf(G.node, Cardinality(G.node)) :
     /\ p # << >>
     /\ Cardinality({p[i] : i \in DOMAIN p}) = Len(p)
     /\ \A i \in 1 .. (Len(p) - 1) : <<p[i], p[i + 1]>> \in G.edge}

\* Some simple path leads from m to n.
AreConnectedIn(m, n, G) ==
  \E p \in SimplePath(G) : (p[1] = m) /\ (p[Len(p)] = n)

\* Reachability between every two nodes, by Warshall's algorithm: C[N] says
\* which nodes are joined by a path whose inner nodes are all in N.
ConnectionsIn(G) ==
  LET C[N \in SUBSET G.node] ==
        IF N = {}
        THEN [m, n \in G.node |-> m = n \/ <<m, n>> \in G.edge]
        ELSE LET u == CHOOSE u \in N : TRUE
                 Cu == C[N \ {u}]
             IN  [m, n \in G.node |-> Cu[m, n] \/ (Cu[m, u] /\ Cu[u, n])]
  IN  C[G.node]

IsStronglyConnected(G) == \A m, n \in G.node : AreConnectedIn(m, n, G)

-------------------------------------------------------------------------------
\* Edges point towards r, no node has two outgoing edges, and every node
\* reaches r.
IsTreeWithRoot(G, r) ==
  /\ IsDirectedGraph(G)
  /\ \A e \in G.edge : /\ e[1] # r
                       /\ \A f \in G.edge : (e[1] = f[1]) => (e = f)
  /\ \A n \in G.node : AreConnectedIn(n, r, G)
===============================================================================
