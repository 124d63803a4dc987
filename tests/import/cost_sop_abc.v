// Benchmark "sop" written by ABC on Mon Nov 30 19:26:23 2026

module sop ( 
    \A[0] , \A[1] , \A[2] , \A[3] , \A[4] , \A[5] , \A[6] , \A[7] , \B[0] ,
    \B[1] , \B[2] , \B[3] , \B[4] , \B[5] , \B[6] , \B[7] ,
    \O[0] , \O[1] , \O[2] , \O[3] , \O[4] , \O[5] , \O[6] , \O[7] , \O[8] ,
    \O[9] , \O[10] , \O[11] , \O[12] , \O[13] , \O[14] , \O[15]   );
  input  \A[0] , \A[1] , \A[2] , \A[3] , \A[4] , \A[5] , \A[6] , \A[7] ,
    \B[0] , \B[1] , \B[2] , \B[3] , \B[4] , \B[5] , \B[6] , \B[7] ;
  output \O[0] , \O[1] , \O[2] , \O[3] , \O[4] , \O[5] , \O[6] , \O[7] ,
    \O[8] , \O[9] , \O[10] , \O[11] , \O[12] , \O[13] , \O[14] , \O[15] ;
  wire new_n35_, new_n36_, new_n37_, new_n38_, new_n39_, new_n40_, new_n42_,
    new_n43_, new_n44_, new_n45_, new_n46_, new_n47_, new_n48_, new_n49_,
    new_n50_, new_n51_, new_n52_, new_n53_, new_n54_, new_n55_, new_n56_,
    new_n57_, new_n58_, new_n60_, new_n61_, new_n62_, new_n63_, new_n64_,
    new_n65_, new_n66_, new_n67_, new_n68_, new_n69_, new_n70_, new_n71_,
    new_n72_, new_n73_, new_n74_, new_n75_, new_n76_, new_n77_, new_n78_,
    new_n79_, new_n81_, new_n82_, new_n83_, new_n84_, new_n85_, new_n86_,
    new_n87_, new_n88_, new_n89_, new_n91_, new_n92_, new_n93_, new_n94_,
    new_n95_, new_n96_, new_n97_, new_n98_;
  assign \O[0]  = \A[0]  & \B[0] ;
  assign new_n35_ = \A[0]  & \B[1] ;
  assign new_n36_ = \A[1]  & \B[0] ;
  assign new_n37_ = ~new_n35_ & ~new_n36_;
  assign new_n38_ = \A[0]  & \A[1] ;
  assign new_n39_ = \B[0]  & \B[1] ;
  assign new_n40_ = new_n38_ & new_n39_;
  assign \O[1]  = ~new_n37_ & ~new_n40_;
  assign new_n42_ = \A[2]  & \B[0] ;
  assign new_n43_ = \A[1]  & ~\B[0] ;
  assign new_n44_ = \B[1]  & new_n43_;
  assign new_n45_ = ~new_n42_ & ~new_n44_;
  assign new_n46_ = ~\A[2]  & \B[0] ;
  assign new_n47_ = \B[2]  & ~new_n45_;
  assign new_n48_ = ~\B[2]  & new_n46_;
  assign new_n49_ = ~new_n47_ & ~new_n48_;
  assign new_n50_ = \A[0]  & ~new_n49_;
  assign new_n51_ = \A[1]  & \B[1] ;
  assign new_n52_ = ~\A[0]  & ~new_n42_;
  assign new_n53_ = ~\B[0]  & ~\B[2] ;
  assign new_n54_ = ~new_n52_ & ~new_n53_;
  assign new_n55_ = ~new_n51_ & ~new_n54_;
  assign new_n56_ = ~\A[0]  & new_n51_;
  assign new_n57_ = new_n42_ & new_n56_;
  assign new_n58_ = ~new_n55_ & ~new_n57_;
  assign \O[2]  = ~new_n50_ & new_n58_;
  assign new_n60_ = ~\A[1]  & ~\B[1] ;
  assign new_n61_ = \A[0]  & new_n42_;
  assign new_n62_ = new_n60_ & new_n61_;
  assign new_n63_ = ~\B[1]  & ~new_n42_;
  assign new_n64_ = \A[2]  & ~\B[0] ;
  assign new_n65_ = ~\A[0]  & ~new_n64_;
  assign new_n66_ = ~new_n63_ & ~new_n65_;
  assign new_n67_ = \A[1]  & ~new_n66_;
  assign new_n68_ = ~new_n62_ & ~new_n67_;
  assign new_n69_ = \B[2]  & ~new_n68_;
  assign new_n70_ = ~\B[2]  & ~new_n36_;
  assign new_n71_ = ~\A[0]  & \A[1] ;
  assign new_n72_ = ~\O[0]  & ~new_n71_;
  assign new_n73_ = ~new_n70_ & ~new_n72_;
  assign new_n74_ = \A[2]  & ~new_n73_;
  assign new_n75_ = \A[1]  & ~\B[2] ;
  assign new_n76_ = \A[0]  & new_n75_;
  assign new_n77_ = new_n46_ & new_n76_;
  assign new_n78_ = ~new_n74_ & ~new_n77_;
  assign new_n79_ = \B[1]  & ~new_n78_;
  assign \O[3]  = new_n69_ | new_n79_;
  assign new_n81_ = new_n51_ & ~new_n64_;
  assign new_n82_ = \A[2]  & ~\B[2] ;
  assign new_n83_ = \A[0]  & \B[2] ;
  assign new_n84_ = ~new_n82_ & ~new_n83_;
  assign new_n85_ = new_n81_ & ~new_n84_;
  assign new_n86_ = \O[0]  & ~new_n60_;
  assign new_n87_ = \A[2]  & \B[2] ;
  assign new_n88_ = ~new_n51_ & new_n87_;
  assign new_n89_ = ~new_n86_ & new_n88_;
  assign \O[4]  = new_n85_ | new_n89_;
  assign new_n91_ = ~new_n38_ & new_n39_;
  assign new_n92_ = ~\A[0]  & ~\A[1] ;
  assign new_n93_ = new_n87_ & ~new_n92_;
  assign new_n94_ = new_n91_ & new_n93_;
  assign new_n95_ = new_n38_ & new_n42_;
  assign new_n96_ = new_n51_ & new_n64_;
  assign new_n97_ = ~new_n95_ & ~new_n96_;
  assign new_n98_ = \B[2]  & ~new_n97_;
  assign \O[5]  = new_n94_ | new_n98_;
  assign \O[6]  = 1'b0;
  assign \O[7]  = 1'b0;
  assign \O[8]  = 1'b0;
  assign \O[9]  = 1'b0;
  assign \O[10]  = 1'b0;
  assign \O[11]  = 1'b0;
  assign \O[12]  = 1'b0;
  assign \O[13]  = 1'b0;
  assign \O[14]  = 1'b0;
  assign \O[15]  = 1'b0;
endmodule


