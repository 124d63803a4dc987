module helper(X, Y); input X; output Y; assign Y = ~X; endmodule
module mul(A, B, O); input [7:0] A; input [7:0] B; output [15:0] O; assign O = {8'b0, A & B}; endmodule
